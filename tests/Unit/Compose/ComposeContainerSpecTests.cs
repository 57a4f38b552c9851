using PSContainer.Engine.Compose;
using PSContainer.Engine.Volumes;

namespace PSContainer.Tests.Compose;

public sealed class ComposeContainerSpecTests
{
    private static readonly ComposeModel Project = ComposeFixture.FromText("""
        name: shop
        services:
          web:
            image: busybox
            command: httpd -f
            environment: [A=1, UNSET]
            labels: {tier: front}
            ports: ["127.0.0.1:8080:80"]
            volumes: [data:/data, /anon, "/srv:/srv:ro"]
            tmpfs: ["/run:size=1m"]
            networks:
              back:
                aliases: [www]
              front: {}
            stop_grace_period: 1500ms
            stop_signal: SIGQUIT
            mem_limit: 64m
            cap_add: [NET_ADMIN]
            cap_drop: [ALL]
            security_opt: [no-new-privileges=false]
            restart: unless-stopped
            init: true
            healthcheck:
              test: wget -qO- localhost
              interval: 2s
              retries: 4
            ulimits: {nofile: 1024}
            depends_on:
              cache: {condition: service_started, restart: true}
          db:
            image: busybox
            network_mode: "service:web"
          cache:
            image: busybox
        networks:
          front: {}
          back: {internal: true}
        volumes:
          data: {}
        """);

    private static ComposeContainerSpec Web(int number = 1) =>
        ComposeContainerSpec.For(Project, Project.Service("web")!, number, "hash", "busybox", _ => "unused");

    [Fact]
    public void NameAndComposeLabels()
    {
        var request = Web(2).Request;
        Assert.Equal("shop-web-2", request.Name);
        var labels = request.Settings.Labels;
        Assert.Equal("shop", labels["com.docker.compose.project"]);
        Assert.Equal("web", labels["com.docker.compose.service"]);
        Assert.Equal("2", labels["com.docker.compose.container-number"]);
        Assert.Equal("hash", labels["com.docker.compose.config-hash"]);
        Assert.Equal("False", labels["com.docker.compose.oneoff"]);
        Assert.Equal(Project.WorkingDirectory, labels["com.docker.compose.project.working_dir"]);
        Assert.Equal("cache:service_started:true", labels["com.docker.compose.depends_on"]);
        Assert.Equal("front", labels["tier"]);
    }

    [Fact]
    public void RunSettings()
    {
        var settings = Web().Request.Settings;
        Assert.Equal(["httpd", "-f"], settings.Command);
        Assert.Equal(["A=1"], settings.Environment);
        Assert.Equal(2, settings.StopTimeout);
        Assert.Equal("SIGQUIT", settings.StopSignal);
        Assert.Equal(64L << 20, settings.Memory);
        Assert.Equal(1024UL, Assert.Single(settings.Ulimits).Hard);
        Assert.Equal(["CAP_NET_ADMIN"], settings.Security.CapAdd);
        Assert.Equal(["ALL"], settings.Security.CapDrop);
        Assert.False(settings.Security.NoNewPrivileges);
        Assert.Equal("unless-stopped", settings.RestartPolicy);
        Assert.True(settings.Init);
        Assert.Equal(["CMD-SHELL", "wget -qO- localhost"], settings.Healthcheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Healthcheck.Interval);
        Assert.Equal(4, settings.Healthcheck.Retries);
        var port = Assert.Single(settings.Ports);
        Assert.Equal(("127.0.0.1", 8080, 80), (port.HostIp, port.HostPort, port.ContainerPort));
    }

    [Fact]
    public void MountsUseProjectVolumeNames()
    {
        var mounts = Web().Request.Settings.Mounts;
        Assert.Equal((MountType.Volume, "shop_data", "/data"), (mounts[0].Type, mounts[0].Source, mounts[0].Target));
        Assert.True(mounts[1].Anonymous);
        Assert.Equal((MountType.Bind, "/srv", true), (mounts[2].Type, mounts[2].Source, mounts[2].ReadOnly));
        Assert.Equal((MountType.Tmpfs, "/run", 1L << 20), (mounts[3].Type, mounts[3].Target, mounts[3].TmpfsSize));
    }

    [Fact]
    public void PortsGoThroughANetworkWithARouteOutAndTheServiceNameIsAnAlias()
    {
        var spec = Web();
        Assert.Equal("shop_front", spec.Request.Settings.Network);
        Assert.Equal(["web"], spec.Request.Settings.NetworkAliases);
        var (network, aliases) = Assert.Single(spec.MoreNetworks);
        Assert.Equal("shop_back", network);
        Assert.Equal(["web", "www"], aliases);
    }

    [Fact]
    public void ServiceNetworkModeSharesTheServiceContainer()
    {
        var spec = ComposeContainerSpec.For(Project, Project.Service("db")!, 1, "h", "busybox", service => $"shop-{service}-1");
        Assert.Equal("container:shop-web-1", spec.Request.Settings.Network);
        Assert.Empty(spec.MoreNetworks);
    }

    [Fact]
    public void StartOrderFollowsNetworkModeAndDependsOn() =>
        Assert.Equal(["cache", "web", "db"], ComposeGraph.Order(Project.Services).Select(s => s.Name));

    [Fact]
    public void ChosenServicesBringWhatTheyDependOn()
    {
        Assert.Equal(["cache", "db", "web"], ComposeGraph.WithDependencies(Project.Services, ["db"]).Order(StringComparer.Ordinal));
        Assert.Equal(["cache"], ComposeGraph.WithDependencies(Project.Services, ["cache"]));
    }
}
