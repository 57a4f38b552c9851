using System.Text.Json.Nodes;
using PSContainer.Engine;
using PSContainer.Engine.Networks;

namespace PSContainer.Tests.Networks;

/// <summary>The CNI runtime protocol against fake plugins: shell scripts that log what they get and answer fixed results.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CniExecutorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pscontainer-cni-").FullName;
    private readonly string _netns;

    public CniExecutorTests()
    {
        _netns = Path.Combine(_dir, "netns");
        File.WriteAllText(_netns, "");
        Plugin("one", """{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"x"}],"ips":[{"interface":0,"address":"10.9.0.2/24"}]}""");
        Plugin("two", """{"cniVersion":"1.0.0","from":"two"}""");
        Plugin("three", """{"cniVersion":"1.0.0","from":"three"}""");
        Plugin("broken", """{"cniVersion":"1.0.0","code":7,"msg":"no such bridge","details":"psc-x"}""", exitCode: 1);
        Plugin("silent", "", exitCode: 2, stderr: "plain failure");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Plugin(string name, string output, int exitCode = 0, string stderr = "")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, $$"""
            #!/bin/sh
            input=$(cat)
            printf '%s %s ifname=%s netns=%s id=%s args=[%s] path=%s\n' "$CNI_COMMAND" {{name}} "$CNI_IFNAME" "$CNI_NETNS" "$CNI_CONTAINERID" "$CNI_ARGS" "$CNI_PATH" >> {{_dir}}/calls
            printf '%s\n' "$input" >> {{_dir}}/stdin
            [ "$CNI_COMMAND" = DEL ] && exit 0
            printf '%s' '{{output}}'
            printf '%s' '{{stderr}}' >&2
            exit {{exitCode}}
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private CniAttachment Attachment(params string[] types) => new()
    {
        Network = "testnet",
        ContainerId = "c0ffee",
        IfName = "eth0",
        NetNs = _netns,
        Config = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = "testnet",
            ["plugins"] = new JsonArray(types.Select(t => (JsonNode)new JsonObject { ["type"] = t, ["capabilities"] = new JsonObject { ["portMappings"] = true } }).ToArray()),
            [CniConfig.MetadataKey] = new JsonObject { ["id"] = "not for plugins" },
        },
        CapabilityArgs = CniConfig.PortMappingArgs([new PortMapping { HostPort = 8080, ContainerPort = 80 }]),
    };

    private string[] Calls() => File.ReadAllLines(Path.Combine(_dir, "calls"));

    private JsonObject[] Inputs() => File.ReadAllLines(Path.Combine(_dir, "stdin")).Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();

    [Fact]
    public void AddRunsPluginsInOrderPassingEachResultOn()
    {
        var executor = new CniExecutor([_dir]);
        var progress = new List<string>();
        Environment.SetEnvironmentVariable("CNI_ARGS", "LEAK=1");
        var result = executor.Add(Attachment("one", "two", "three"), r => progress.Add(r.ToJsonString()));
        Environment.SetEnvironmentVariable("CNI_ARGS", null);

        Assert.Equal("three", (string?)result["from"]);
        Assert.Equal(3, progress.Count);
        Assert.Equal([$"ADD one ifname=eth0 netns={_netns} id=c0ffee args=[] path={_dir}", $"ADD two ifname=eth0 netns={_netns} id=c0ffee args=[] path={_dir}", $"ADD three ifname=eth0 netns={_netns} id=c0ffee args=[] path={_dir}"], Calls());
        var inputs = Inputs();
        Assert.All(inputs, i => Assert.Equal(("testnet", "1.0.0"), ((string?)i["name"], (string?)i["cniVersion"])));
        Assert.All(inputs, i => Assert.False(i.ContainsKey("capabilities") || i.ContainsKey(CniConfig.MetadataKey)));
        Assert.All(inputs, i => Assert.Equal(8080, (int)i["runtimeConfig"]!["portMappings"]![0]!["hostPort"]!));
        Assert.False(inputs[0].ContainsKey("prevResult"));
        Assert.Equal("10.9.0.2/24", (string?)inputs[1]["prevResult"]!["ips"]![0]!["address"]);
        Assert.Equal("two", (string?)inputs[2]["prevResult"]!["from"]);
    }

    [Fact]
    public void DeleteRunsPluginsInReverseWithTheCachedResult()
    {
        var attachment = Attachment("one", "two", "three");
        attachment.Result = new JsonObject { ["cniVersion"] = "1.0.0", ["from"] = "cache" };
        new CniExecutor([_dir]).Delete(attachment);
        Assert.Equal(["DEL three", "DEL two", "DEL one"], Calls().Select(c => string.Join(' ', c.Split(' ').Take(2))));
        Assert.All(Inputs(), i => Assert.Equal("cache", (string?)i["prevResult"]!["from"]));
    }

    [Fact]
    public void DeleteAfterTheNamespaceIsGonePassesNoNamespace()
    {
        var attachment = Attachment("one");
        attachment.NetNs = Path.Combine(_dir, "gone");
        new CniExecutor([_dir]).Delete(attachment);
        Assert.Contains(" netns= ", Assert.Single(Calls()));
        Assert.False(Inputs()[0].ContainsKey("prevResult"));
    }

    [Fact]
    public void AFailingPluginStopsTheChainWithItsMessage()
    {
        var progress = new List<JsonObject>();
        var ex = Assert.Throws<EngineException>(() => new CniExecutor([_dir]).Add(Attachment("one", "broken", "two"), progress.Add));
        Assert.Equal("NetworkPluginFailed", ex.ErrorId);
        Assert.Contains("broken ADD failed (exit 1): no such bridge: psc-x", ex.Message);
        Assert.Single(progress);
        Assert.Equal(2, Calls().Length);
    }

    [Fact]
    public void AFailureWithoutJsonReportsStandardError()
    {
        var ex = Assert.Throws<EngineException>(() => new CniExecutor([_dir]).Add(Attachment("silent"), _ => { }));
        Assert.Contains("plain failure", ex.Message);
    }

    [Fact]
    public void AMissingPluginIsReportedAsNotInstalled()
    {
        var ex = Assert.Throws<EngineException>(() => new CniExecutor([_dir]).Add(Attachment("one", "nonexistent"), _ => { }));
        Assert.Equal(("CniPluginNotFound", EngineErrorKind.NotInstalled), (ex.ErrorId, ex.Kind));
        Assert.Null(new CniExecutor([_dir]).Find("../one"));
    }

    [Fact]
    public void AddSingleRunsOnePluginWithoutAList()
    {
        new CniExecutor([_dir]).AddSingle(new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "lo", ["type"] = "two" }, new CniAttachment { ContainerId = "c0ffee", IfName = "lo", NetNs = _netns });
        Assert.StartsWith("ADD two ifname=lo", Assert.Single(Calls()));
        Assert.Equal("lo", (string?)Inputs()[0]["name"]);
    }
}
