using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PSContainer.Engine.Networks;

/// <summary>An IPv4 subnet in CIDR form ("10.88.0.0/16"), with the address arithmetic networks need.</summary>
internal readonly record struct Ipv4Subnet(uint Network, int PrefixLength)
{
    /// <summary>The netmask as a number.</summary>
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    /// <summary>The last address of the subnet.</summary>
    public uint Broadcast => Network | ~Mask;

    /// <summary>The first usable address: the gateway by convention.</summary>
    public uint FirstHost => Network + 1;

    /// <summary>Whether <paramref name="address"/> lies in the subnet.</summary>
    public bool Contains(uint address) => (address & Mask) == Network;

    /// <summary>Whether the two subnets share any address.</summary>
    public bool Overlaps(Ipv4Subnet other) => Contains(other.Network) || other.Contains(Network);

    /// <inheritdoc/>
    public override string ToString() => FormatAddress(Network) + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses "a.b.c.d/n"; host bits are cleared, as Podman does.</summary>
    public static Ipv4Subnet Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !TryParseAddress(text[..slash], out var address)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
            throw new EngineException("InvalidSubnet", EngineErrorKind.InvalidArgument, $"'{text}' is not an IPv4 subnet in CIDR form, such as 10.213.1.0/24.", text);
        var mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
        return new Ipv4Subnet(address & mask, prefix);
    }

    /// <summary>Parses a dotted IPv4 address into a number (most significant octet first).</summary>
    public static bool TryParseAddress(string text, out uint address)
    {
        address = 0;
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3)
            return false;
        var bytes = ip.GetAddressBytes();
        address = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        return true;
    }

    /// <summary>Formats a number as a dotted IPv4 address.</summary>
    public static string FormatAddress(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}");
}
