using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Images;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Volumes;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Storage;

/// <summary>
/// Each folder has its own JSON context; all of them write records the same way, and container records
/// stay in the shape the exit script's grep reads without starting .NET.
/// </summary>
public sealed class StoreJsonOptionsTests
{
    public static TheoryData<string> Contexts() => new(StoreContexts().Keys);

    private static Dictionary<string, JsonSerializerContext> StoreContexts() => new()
    {
        [nameof(ContainerJsonContext)] = ContainerJsonContext.Default,
        [nameof(ImageJsonContext)] = ImageJsonContext.Default,
        [nameof(LayerJsonContext)] = LayerJsonContext.Default,
        [nameof(OciJsonContext)] = OciJsonContext.Default,
        [nameof(VolumeJsonContext)] = VolumeJsonContext.Default,
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public void EveryStoreContextWritesCompactRecordsWithoutNullsAndEnumsAsStrings(string name)
    {
        var declared = StoreContexts()[name].GetType().GetCustomAttribute<JsonSourceGenerationOptionsAttribute>();
        Assert.NotNull(declared);
        Assert.False(declared.WriteIndented);
        Assert.Equal(JsonIgnoreCondition.WhenWritingNull, declared.DefaultIgnoreCondition);
        Assert.True(declared.UseStringEnumConverter);
        Assert.Null(StoreContexts()[name].Options.PropertyNamingPolicy);
    }

    [Theory]
    [InlineData(ContainerStatus.Running, true)]
    [InlineData(ContainerStatus.Paused, true)]
    [InlineData(ContainerStatus.Restarting, true)]
    [InlineData(ContainerStatus.Exited, false)]
    [InlineData(ContainerStatus.Created, false)]
    public void ExitScriptGrepSeesLiveContainersInTheRecord(ContainerStatus status, bool live)
    {
        var record = new ContainerRecord { Id = new string('a', 64), Name = "web" };
        record.State.Status = status;
        var json = JsonSerializer.Serialize(record, ContainerJsonContext.Default.ContainerRecord);
        Assert.Equal(live, ExitScriptPattern().IsMatch(json));
    }

    // The script's `grep -q '<pattern>'` in basic-regex syntax, turned into a .NET regex.
    private static Regex ExitScriptPattern()
    {
        var script = File.ReadAllText(SourceTree.PathOf("src/PSContainer.ExitCommand/pscontainer-exit.sh"));
        var basic = Regex.Match(script, @"grep -q '([^']+)'").Groups[1].Value;
        Assert.NotEmpty(basic);
        return new Regex(basic.Replace(@"\(", "(").Replace(@"\)", ")").Replace(@"\|", "|"));
    }
}
