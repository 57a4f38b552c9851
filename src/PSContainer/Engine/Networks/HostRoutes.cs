using System.Globalization;

namespace PSContainer.Engine.Networks;

/// <summary>The IPv4 destinations the host already routes, so that new networks pick subnets nobody uses.</summary>
internal static class HostRoutes
{
    /// <summary>The routed subnets of this host (the default route left out).</summary>
    public static List<Ipv4Subnet> Read() =>
        File.Exists("/proc/net/route") ? Parse(File.ReadAllText("/proc/net/route")) : [];

    /// <summary>
    /// Parses /proc/net/route: destination and mask are hexadecimal in host (little-endian) byte order.
    /// </summary>
    public static List<Ipv4Subnet> Parse(string table)
    {
        var list = new List<Ipv4Subnet>();
        foreach (var line in table.Split('\n').Skip(1))
        {
            var fields = line.Split('\t', StringSplitOptions.TrimEntries);
            if (fields.Length < 8
                || !uint.TryParse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var destination)
                || !uint.TryParse(fields[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask))
                continue;
            var prefix = System.Numerics.BitOperations.PopCount(mask);
            if (prefix == 0) continue;
            list.Add(new Ipv4Subnet(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(destination), prefix));
        }
        return list;
    }
}
