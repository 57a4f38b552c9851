namespace PSContainer.Engine.Networks;

/// <summary>An address a CNI result assigns: "10.88.0.5/16", its gateway, and the index of its interface in the result.</summary>
internal sealed record CniIpConfig(string Address, string? Gateway, int? Interface)
{
    /// <summary>The address without its prefix length.</summary>
    public string Ip => Address.Split('/')[0];

    /// <summary>The prefix length, 0 when the address has none.</summary>
    public int PrefixLength => Address.Split('/') is [_, var p] && int.TryParse(p, out var n) ? n : 0;
}
