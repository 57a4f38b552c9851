using System.Management.Automation;
using PSContainer.Engine.Networks;
using PSContainer.Transformations;

namespace PSContainer.Commands.Networks;

/// <summary>Creates a bridge network (like <c>docker network create</c>); its containers reach each other by name.</summary>
[Cmdlet(VerbsCommon.New, "Network", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkInfo))]
public sealed class NewNetworkCommand : EngineCmdlet
{
    /// <summary>The network's name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The IPv4 subnet in CIDR form, such as 10.213.1.0/24. Default: a free /24 in 10.89.0.0-10.254.255.0.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Subnet { get; set; }

    /// <summary>The bridge's address, which containers use as their gateway. Default: the subnet's first address.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Gateway { get; set; }

    /// <summary>No NAT and no default route: containers reach each other and the host only.</summary>
    [Parameter]
    public SwitchParameter Internal { get; set; }

    /// <summary>
    /// DNS servers the network's DNS server forwards names to that are not its containers' (as podman network
    /// create --dns). Default: the host's resolvers.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DnsServer { get; set; }

    /// <summary>Labels: "key=value" strings or a hashtable.</summary>
    [Parameter]
    [KeyValueTransformation]
    public string[]? Label { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create network")) return;
        var spec = new NetworkSpec
        {
            Name = Name,
            Subnet = Subnet,
            Gateway = Gateway,
            Internal = Internal,
            DnsServers = (DnsServer ?? []).ToList(),
            Labels = (Label ?? []).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal),
        };
        TryEngine(() => WriteObject(Engine.Networks.Create(spec)), Name);
    }
}
