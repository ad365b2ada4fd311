namespace Enslavism.SlaveHost;

internal enum ClientSessionState
{
    Admitting,
    Answering,
    Connected,
    Closed,
}

internal enum AnswerOutcome
{
    Sent,
    SessionClosed,
    SendFailed,
}
