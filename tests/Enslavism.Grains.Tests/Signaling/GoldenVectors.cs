using System.Text.Json;
using Enslavism.Signaling;

namespace Enslavism.Grains.Tests.Signaling;

/// <summary>Loads tests/vectors/signaling-v1.json, the file the TypeScript tests read too.</summary>
internal static class GoldenVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "signaling-v1.json"))));

    public static IEnumerable<JsonElement> Valid => Document.Value.RootElement.GetProperty("vectors").EnumerateArray();

    public static IEnumerable<JsonElement> Malformed => Document.Value.RootElement.GetProperty("malformed").EnumerateArray();

    public static TheoryData<string> ValidNames() => Names(Valid);

    public static TheoryData<string> MalformedNames() => Names(Malformed);

    public static JsonElement Valid1(string name) => Valid.Single(v => v.GetProperty("name").GetString() == name);

    public static JsonElement Malformed1(string name) => Malformed.Single(v => v.GetProperty("name").GetString() == name);

    public static byte[] Bytes(JsonElement vector) => Convert.FromHexString(vector.GetProperty("hex").GetString()!);

    /// <summary>Builds the message a vector's decoded form describes.</summary>
    public static SignalingMessage Message(JsonElement m)
    {
        var type = m.GetProperty("type").GetString()!;
        uint Id() => m.GetProperty("id").GetUInt32();
        string Sdp() => m.GetProperty("sdp").GetString()!;
        IceCandidate? Candidate()
        {
            var c = m.GetProperty("candidate");
            return c.ValueKind == JsonValueKind.Null
                ? null
                : new IceCandidate(c.GetProperty("sdpMid").GetString()!, c.GetProperty("sdpMLineIndex").GetUInt16(), c.GetProperty("candidate").GetString()!);
        }

        return type switch
        {
            "Register" => new Register(JsonUserData.Parse(m.GetProperty("userDataJson").GetString()!)),
            "AddSlaves" => new AddSlaves(m.GetProperty("slaves").EnumerateArray()
                .Select(s => new SlaveEntry(s.GetProperty("id").GetUInt32(), JsonUserData.Parse(s.GetProperty("userDataJson").GetString()!)))
                .ToList()),
            "RemoveSlaves" => new RemoveSlaves(m.GetProperty("ids").EnumerateArray().Select(i => i.GetUInt32()).ToList()),
            "OfferToSlave" => new OfferToSlave(Id(), Sdp()),
            "OfferFromClient" => new OfferFromClient(Id(), Sdp()),
            "AnswerToClient" => new AnswerToClient(Id(), Sdp()),
            "AnswerFromSlave" => new AnswerFromSlave(Id(), Sdp()),
            "IceCandidateToSlave" => new IceCandidateToSlave(Id(), Candidate()),
            "IceCandidateFromClient" => new IceCandidateFromClient(Id(), Candidate()),
            "IceCandidateToClient" => new IceCandidateToClient(Id(), Candidate()),
            "IceCandidateFromSlave" => new IceCandidateFromSlave(Id(), Candidate()),
            "RejectToClient" => new RejectToClient(Id()),
            "RejectFromSlave" => new RejectFromSlave(Id()),
            "ClientLeft" => new ClientLeft(Id()),
            "ClientInfo" => new ClientInfo(Id(), JsonUserData.Parse(m.GetProperty("infoJson").GetString()!)),
            _ => throw new InvalidOperationException($"unknown type {type} in vectors"),
        };
    }

    internal static TheoryData<string> Names(IEnumerable<JsonElement> vectors)
    {
        var data = new TheoryData<string>();
        foreach (var v in vectors)
        {
            data.Add(v.GetProperty("name").GetString()!);
        }

        return data;
    }
}
