namespace PSContainer.Engine.Networks;

/// <summary>Chooses a free private subnet for a network that did not name one.</summary>
internal static class SubnetAllocator
{
    // /24 candidates from 10.89.0.0 to 10.254.255.0: above Podman's and our default 10.88.0.0/16.
    private const uint FirstCandidate = (10u << 24) | (89u << 16);
    private const int CandidateCount = (255 - 89) * 256;

    /// <summary>
    /// The first /24 not overlapping <paramref name="taken"/>, searching from a position derived from
    /// <paramref name="seed"/> so that separate stores rarely start at the same subnet.
    /// </summary>
    public static Ipv4Subnet Pick(IReadOnlyCollection<Ipv4Subnet> taken, uint seed)
    {
        for (var i = 0; i < CandidateCount; i++)
        {
            var index = (int)((seed + (uint)i) % CandidateCount);
            var candidate = new Ipv4Subnet(FirstCandidate + ((uint)index << 8), 24);
            if (!taken.Any(candidate.Overlaps)) return candidate;
        }
        throw new EngineException("NoFreeSubnet", EngineErrorKind.InvalidState, "No free subnet is left in 10.89.0.0-10.254.255.0; name one with -Subnet.");
    }
}
