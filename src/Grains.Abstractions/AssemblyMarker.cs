namespace Enslavism.Grains.Abstractions;

internal static class AssemblyMarker
{
}
