using Enslavism.Signaling;

namespace Enslavism.Grains.Postgres.Registry;

/// <summary>One row of <c>ens_slave_changes</c>: user data for an addition or replacement, null for a removal.</summary>
internal sealed record LoggedChange(long Sequence, uint SlaveId, JsonUserData? UserData);
