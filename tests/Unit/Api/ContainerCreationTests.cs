using System.Text.Json;
using PSContainer.Api;
using PSContainer.Api.Endpoints;
using PSContainer.Engine.Volumes;

namespace PSContainer.Tests.Api;

public sealed class ContainerCreationTests
{
    private static JsonElement Body(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void MapsWhatTheDockerCliSends()
    {
        var request = ContainerCreation.Map(Body("""
            {"Image":"busybox","Cmd":["sh","-c","true"],"Env":["A=1"],"Labels":{"tier":"front"},"Tty":false,"OpenStdin":true,"StdinOnce":true,
             "AttachStdin":true,"ExposedPorts":{"80/tcp":{}},"Volumes":{"/data":{}},
             "HostConfig":{"Binds":["/srv:/srv:ro"],"PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":""}]},"AutoRemove":true,
                           "NanoCpus":1500000000,"Memory":67108864,"NetworkMode":"default","RestartPolicy":{"Name":"no"},"LogConfig":{"Type":"","Config":{}},
                           "Tmpfs":{"/run":"size=1m"},"Privileged":false,"CapAdd":null,"Dns":[],"ShmSize":0}}
            """), "web");
        var s = request.Settings;
        Assert.Equal("busybox", request.Image);
        Assert.Equal("web", request.Name);
        Assert.Equal(["sh", "-c", "true"], s.Command);
        Assert.Equal("front", s.Labels["tier"]);
        Assert.True(s.Interactive && s.StdinOnce && s.AutoRemove);
        Assert.Null(s.Network);
        Assert.Equal(1.5, s.Cpus);
        Assert.Equal(64L << 20, s.Memory);
        var port = Assert.Single(s.Ports);
        Assert.Equal(("127.0.0.1", 0, 80, "tcp"), (port.HostIp, port.HostPort, port.ContainerPort, port.Protocol));
        Assert.Contains(s.Mounts, m => m.Type == MountType.Volume && m.Anonymous && m.Target == "/data");
        Assert.Contains(s.Mounts, m => m.Type == MountType.Bind && m.Source == "/srv" && m.ReadOnly);
        Assert.Contains(s.Mounts, m => m.Type == MountType.Tmpfs && m.Target == "/run" && m.TmpfsSize == 1L << 20);
    }

    [Theory]
    [InlineData("""{"Image":"busybox","HostConfig":{"Privileged":true}}""", "HostConfig.Privileged")]
    [InlineData("""{"Image":"busybox","HostConfig":{"Devices":[{"PathOnHost":"/dev/kmsg"}]}}""", "HostConfig.Devices")]
    [InlineData("""{"Image":"busybox","HostConfig":{"RestartPolicy":{"Name":"always"}}}""", "HostConfig.RestartPolicy 'always'")]
    [InlineData("""{"Image":"busybox","Healthcheck":{"Test":["CMD","true"]}}""", "Config.Healthcheck")]
    [InlineData("""{"Image":"busybox","MacAddress":"02:42:ac:11:00:02"}""", "Config.MacAddress")]
    public void RefusesWhatItDoesNotDoByName(string json, string field)
    {
        var ex = Assert.Throws<ApiException>(() => ContainerCreation.Map(Body(json), null));
        Assert.Equal(400, ex.Status);
        Assert.StartsWith(field + " is not supported", ex.Message);
    }

    [Fact]
    public void NeedsAnImage()
    {
        var ex = Assert.Throws<ApiException>(() => ContainerCreation.Map(Body("""{"Cmd":["true"]}"""), null));
        Assert.Equal(400, ex.Status);
    }

    [Fact]
    public void TakesComposeAliasesFromTheEndpointOfItsNetwork()
    {
        var request = ContainerCreation.Map(Body("""
            {"Image":"busybox","HostConfig":{"NetworkMode":"shop_default"},
             "NetworkingConfig":{"EndpointsConfig":{"shop_default":{"Aliases":["web","a1b2"]}}}}
            """), null);
        Assert.Equal("shop_default", request.Settings.Network);
        Assert.Equal(["web", "a1b2"], request.Settings.NetworkAliases);
    }
}
