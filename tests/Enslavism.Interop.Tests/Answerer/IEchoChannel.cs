namespace Enslavism.Interop.Tests.Answerer;

/// <summary>What <see cref="EchoBehaviour"/> needs of a data channel, whichever answerer hosts it.</summary>
public interface IEchoChannel
{
    string Label { get; }

    /// <summary>Queues a message; returns null when queued, else why not.</summary>
    string? Send(bool isText, byte[] data);

    void Close();
}
