namespace Enslavism.WebRtc;

internal static class AssemblyMarker
{
}
