using PSContainer.Engine;
using PSContainer.Engine.Compose;

namespace PSContainer.Tests.Compose;

public sealed class ComposeLoaderTests
{
    [Fact]
    public void ThreeTierApplicationNormalizes()
    {
        var project = ComposeFixture.Load("java-mysql");
        Assert.Equal("java-mysql", project.Name);
        Assert.Equal(ComposeFixture.Dir("java-mysql"), project.WorkingDirectory);
        Assert.Equal(["api", "db", "web"], project.Services.Select(s => s.Name));

        var api = project.Service("api")!;
        Assert.Equal(Path.Combine(ComposeFixture.Dir("java-mysql"), "api"), api.Build!.Context);
        Assert.Equal("db", api.Environment!["DB_HOST"]);
        Assert.Equal(["api-db", "web-api"], api.Networks!.Keys);
        Assert.Equal("service_healthy", api.DependsOn!["db"].Condition);

        var db = project.Service("db")!;
        Assert.Equal(["CMD", "mysqladmin", "ping", "-h", "127.0.0.1", "--silent"], db.Healthcheck!.Test);
        Assert.Equal("3s", db.Healthcheck.Interval);
        Assert.Equal("30s", db.Healthcheck.StartPeriod);
        Assert.Equal(5, db.Healthcheck.Retries);
        Assert.Equal(["3306", "33060"], db.Expose);
        var data = Assert.Single(db.Volumes!);
        Assert.Equal(("volume", "db-data", "/var/lib/mysql"), (data.Type, data.Source, data.Target));

        var web = project.Service("web")!;
        Assert.Equal("development", web.Build!.Target);
        var port = Assert.Single(web.Ports!);
        Assert.Equal((3000, (int?)3000, (string?)null, "tcp"), (port.Target, port.Published, port.HostIp, port.Protocol));
        Assert.Equal(("bind", Path.Combine(ComposeFixture.Dir("java-mysql"), "web/src"), true), (web.Volumes![0].Type, web.Volumes[0].Source, web.Volumes[0].Bind?.CreateHostPath == true));
        Assert.Equal(("volume", (string?)null), (web.Volumes[1].Type, web.Volumes[1].Source));

        Assert.Equal(["java-mysql_web-api", "java-mysql_api-db"], project.Networks.Select(n => n.Name));
        Assert.Equal("java-mysql_db-data", Assert.Single(project.Volumes).Name);
    }

    [Fact]
    public void KeysTheEngineCannotHonourAreListedByName()
    {
        var project = ComposeFixture.Load("java-mysql");
        Assert.Equal(["secrets", "services.api.secrets", "services.db.secrets"], project.UnsupportedKeys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(project.UnsupportedKeys, k => k.StartsWith("services.web.ports", StringComparison.Ordinal));
    }

    [Fact]
    public void RequiredVariableMissingNamesItAndTheValue()
    {
        var ex = Assert.Throws<EngineException>(() => ComposeFixture.Load("golang-postgres"));
        Assert.Equal("ComposeInterpolationFailed", ex.ErrorId);
        Assert.Contains("services.db.environment[1]", ex.Message);
        Assert.Contains("required variable POSTGRES_PASSWORD is missing a value: set POSTGRES_PASSWORD", ex.Message);
    }

    [Fact]
    public void LongBindSyntaxAndShellStringHealthcheck()
    {
        var project = ComposeFixture.Load("golang-postgres", new() { ["POSTGRES_PASSWORD"] = "s3cret" });
        var db = project.Service("db")!;
        Assert.Equal("s3cret", db.Environment!["POSTGRES_PASSWORD"]);
        Assert.Equal(["CMD-SHELL", "pg_isready -U postgres"], db.Healthcheck!.Test);
        Assert.Equal("postgres", db.User);
        var bind = Assert.Single(project.Service("proxy")!.Volumes!);
        Assert.Equal(("bind", Path.Combine(ComposeFixture.Dir("golang-postgres"), "proxy/nginx.conf"), true, (bool?)null),
            (bind.Type, bind.Source, bind.ReadOnly == true, bind.Bind?.CreateHostPath));
        Assert.Equal("golang-postgres_db-data", Assert.Single(project.Volumes).Name);
        Assert.Equal(["db", "backend", "proxy"], ComposeGraph.Order(project.Services).Select(s => s.Name));
    }

    [Fact]
    public void ContainerNamesAndCommandLists()
    {
        var project = ComposeFixture.Load("monitoring");
        var prometheus = project.Service("prometheus")!;
        Assert.Equal("prometheus", prometheus.ContainerName);
        Assert.Equal(["--config.file=/etc/prometheus/prometheus.yml"], prometheus.Command);
        Assert.Equal("prometheus", ComposeNames.Container(project.Name, prometheus, 1));
        var grafana = project.Service("grafana")!;
        Assert.Equal("127.0.0.1", Assert.Single(grafana.Ports!).HostIp);
        Assert.True(grafana.Volumes![0].ReadOnly);
        Assert.Equal("admin", grafana.Environment!["GF_SECURITY_ADMIN_USER"]);
        Assert.Empty(project.UnsupportedKeys);
    }

    [Fact]
    public void AnchorsMergeKeysAndExtensions()
    {
        var project = ComposeFixture.Load("anchors");
        Assert.Equal(["one", "two"], project.Services.Select(s => s.Name));
        var one = project.Service("one")!;
        Assert.Equal("busybox", one.Image);
        Assert.Equal("1", one.Environment!["SHARED"]);
        Assert.Equal(2048, one.Ulimits!["nofile"].Hard);
        var two = project.Service("two")!;
        Assert.Equal(["OWN", "SHARED"], two.Environment!.Keys);
        Assert.Equal("1m30s", two.StopGracePeriod);
        Assert.Equal(2, two.Replicas);
        Assert.Equal(0.25, two.Cpus);
        Assert.Equal(128L << 20, two.MemLimit);
        Assert.Equal(50, two.PidsLimit);
        Assert.Equal(["/run:size=64m"], two.Tmpfs);
        Assert.Empty(project.UnsupportedKeys);
    }

    [Fact]
    public void ProjectNameFromDirectoryIsNormalized()
    {
        var project = ComposeFixture.FromText("services:\n  a:\n    image: busybox\n", directory: "_My App.v2");
        Assert.Equal("myappv2", project.Name);
        Assert.Equal("myappv2_default", Assert.Single(project.Networks).Name);
        Assert.Equal("myappv2-a-1", ComposeNames.Container(project.Name, project.Services[0], 1));
    }

    [Fact]
    public void ProjectNamePrecedence()
    {
        Assert.Equal("given", ComposeFixture.Load("override", projectName: "given").Name);
        Assert.Equal("fromenv", ComposeFixture.Load("override", new() { ["COMPOSE_PROJECT_NAME"] = "fromenv" }).Name);
        Assert.Equal("override-demo", ComposeFixture.Load("override").Name);
        var ex = Assert.Throws<EngineException>(() => ComposeFixture.Load("override", projectName: "Bad Name"));
        Assert.Equal("ComposeProjectNameInvalid", ex.ErrorId);
    }

    [Fact]
    public void UnknownKeysAreErrorsNamingThem()
    {
        var ex = Assert.Throws<EngineException>(() => ComposeFixture.FromText("services:\n  a:\n    image: busybox\n    imagee: typo\n    x-note: fine\nfoo: 1\n"));
        Assert.Equal("ComposeKeyUnknown", ex.ErrorId);
        Assert.Contains("foo", ex.Message);
        Assert.Contains("services.a.imagee", ex.Message);
        Assert.DoesNotContain("x-note", ex.Message);
    }

    [Fact]
    public void DefaultValuesOfUnsupportedKeysAreNotReported()
    {
        var project = ComposeFixture.FromText("services:\n  a:\n    image: busybox\n    oom_kill_disable: false\n    logging: {}\n    shm_size: 64m\n");
        Assert.Equal(["services.a.shm_size"], project.UnsupportedKeys);
    }

    [Fact]
    public void ReferencesAndCyclesAreChecked()
    {
        Assert.Contains("undefined volume data", Assert.Throws<EngineException>(() =>
            ComposeFixture.FromText("services:\n  a:\n    image: busybox\n    volumes: [data:/data]\n")).Message);
        Assert.Contains("undefined network back", Assert.Throws<EngineException>(() =>
            ComposeFixture.FromText("services:\n  a:\n    image: busybox\n    networks: [back]\n")).Message);
        Assert.Contains("depends on 'b', which is not defined", Assert.Throws<EngineException>(() =>
            ComposeFixture.FromText("services:\n  a:\n    image: busybox\n    depends_on: [b]\n")).Message);
        Assert.Contains("a -> b -> a", Assert.Throws<EngineException>(() =>
            ComposeFixture.FromText("services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [a]\n")).Message);
        var optional = ComposeFixture.FromText("services:\n  a:\n    image: busybox\n    depends_on:\n      b: {condition: service_started, required: false}\n");
        Assert.Empty(optional.Service("a")!.DependsOn!);
    }

    [Fact]
    public void PortsShortAndLongSyntax()
    {
        var project = ComposeFixture.FromText("""
            services:
              a:
                image: busybox
                ports:
                  - 80
                  - "8000-8001:9000-9001/udp"
                  - "[::1]:7000:70"
                  - target: 443
                    published: "8443"
                    host_ip: 127.0.0.1
                  - target: 53
                    published: 5300-5301
                    protocol: udp
            """);
        var ports = project.Service("a")!.Ports!.Select(p => p.ToString()).ToList();
        Assert.Equal(["80/tcp", "8000:9000/udp", "8001:9001/udp", "::1:7000:70/tcp", "127.0.0.1:8443:443/tcp", "5300:53/udp", "5301:54/udp"], ports);
    }

    [Fact]
    public void FileDiscoveryPrefersComposeYamlAndReadsTheOverride()
    {
        var project = ComposeFixture.Load("override");
        Assert.Equal([Path.Combine(ComposeFixture.Dir("override"), "compose.yaml"), Path.Combine(ComposeFixture.Dir("override"), "compose.override.yaml")], project.ConfigFiles);
        Assert.Throws<EngineException>(() => ComposeLoader.Load(new ComposeLoadOptions { Paths = [Path.GetTempPath()], CurrentDirectory = "/" }));
    }

    [Fact]
    public void ExtendsMergesTheBaseServiceFromThisFileOrAnother()
    {
        var project = ComposeFixture.Load("extends");
        var shared = Path.Combine(ComposeFixture.Dir("extends"), "shared");
        var web = project.Service("web")!;
        Assert.Equal("busybox", web.Image);
        Assert.Equal(["httpd", "-f"], web.Command);
        Assert.Equal("debug", web.Environment!["LEVEL"]);
        Assert.Equal("1", web.Environment["SHARED"]);
        Assert.Equal(Path.Combine(shared, "config"), Assert.Single(web.Volumes!).Source);
        Assert.Equal(Path.Combine(shared, "app"), web.Build!.Context);
        var worker = project.Service("worker")!;
        Assert.Equal(["sleep", "60"], worker.Command);
        Assert.Equal("debug", worker.Environment!["LEVEL"]);
    }

    [Fact]
    public void DeployRestartPolicyMapsOntoRestart()
    {
        var project = ComposeFixture.FromText("services:\n  a:\n    image: busybox\n    deploy:\n      restart_policy: {condition: on-failure, max_attempts: 3}\n  b:\n    image: busybox\n    deploy:\n      restart_policy: {condition: any}\n");
        Assert.Equal("on-failure:3", project.Service("a")!.Restart);
        Assert.Equal("always", project.Service("b")!.Restart);
        Assert.Empty(project.UnsupportedKeys);
    }

    [Fact]
    public void ExtendsCyclesAreErrors() =>
        Assert.Contains("extends cycle", Assert.Throws<EngineException>(() =>
            ComposeFixture.FromText("services:\n  a:\n    extends: b\n  b:\n    extends: a\n    image: busybox\n")).Message);
}
