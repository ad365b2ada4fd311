namespace Enslavism.Signaling;

/// <summary>
/// The first byte of every signaling frame. Values 0–12 are protocol version 1, byte-compatible with Enslavism 0.9;
/// 15 and 16 exist only on connections that negotiated version 2.
/// Names say who the message is addressed to as seen by its sender: a client sends <see cref="OfferToSlave"/> and the
/// slave receives the same bytes as <see cref="OfferFromClient"/>, with the id rewritten by the master.
/// </summary>
public enum SignalingMessageType : byte
{
    /// <summary>Slave → master: user data (JSON) that makes the slave visible to clients.</summary>
    Register = 0,

    /// <summary>Master → client: one or more slaves (id, user data) joined the list.</summary>
    AddSlaves = 1,

    /// <summary>Master → client: JSON array of slave ids that left the list.</summary>
    RemoveSlaves = 2,

    /// <summary>Client → master: SDP offer for a slave id.</summary>
    OfferToSlave = 3,

    /// <summary>Master → slave: SDP offer from a client id.</summary>
    OfferFromClient = 4,

    /// <summary>Slave → master: SDP answer for a client id.</summary>
    AnswerToClient = 5,

    /// <summary>Master → client: SDP answer from a slave id.</summary>
    AnswerFromSlave = 6,

    /// <summary>Client → master: ICE candidate for a slave id.</summary>
    IceCandidateToSlave = 7,

    /// <summary>Master → slave: ICE candidate from a client id.</summary>
    IceCandidateFromClient = 8,

    /// <summary>Slave → master: ICE candidate for a client id.</summary>
    IceCandidateToClient = 9,

    /// <summary>Master → client: ICE candidate from a slave id.</summary>
    IceCandidateFromSlave = 10,

    /// <summary>Slave → master: the slave rejects the offer of a client id.</summary>
    RejectToClient = 11,

    /// <summary>Master → client: the slave with this id rejected the client's offer.</summary>
    RejectFromSlave = 12,

    /// <summary>Master → slave, version 2 only: the client with this id closed its WebSocket.</summary>
    ClientLeft = 15,

    /// <summary>Master → slave, version 2 only: the auth data and address of a client id, before its first offer.</summary>
    ClientInfo = 16,
}
