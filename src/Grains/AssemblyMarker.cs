namespace Enslavism.Grains;

internal static class AssemblyMarker
{
}
