using System.Security.Cryptography;

namespace PSContainer.Engine.Storage;

/// <summary>Ids of the store's records (containers, volumes, networks): 64 random hex digits, as Docker's.</summary>
internal static class RecordId
{
    /// <summary>A new random id.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
