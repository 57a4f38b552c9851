namespace PSContainer.Engine.Oci;

/// <summary>A resource limit the user asked for (-Ulimit nofile=1024:2048).</summary>
internal sealed class UlimitSetting
{
    public string Name { get; set; } = "";
    public ulong Soft { get; set; }
    public ulong Hard { get; set; }
}
