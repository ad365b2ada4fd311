namespace Enslavism.Grains.Postgres;

internal static class AssemblyMarker
{
}
