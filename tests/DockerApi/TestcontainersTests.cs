using System.Net.Http;
using System.Text;
using DotNet.Testcontainers.Builders;

namespace PSContainer.DockerApi.Tests;

/// <summary>
/// Testcontainers for .NET drives PSContainer through its Docker Engine API: a container with a published
/// port and an HTTP wait strategy, exec, files copied in and out, and disposal.
/// </summary>
public sealed class TestcontainersTests
{
    [Fact]
    public async Task StartsWaitsExecsCopiesAndDisposes()
    {
        Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")), "DOCKER_HOST must name the PSContainer API socket.");
        Assert.Equal("true", Environment.GetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED"));

        var container = new ContainerBuilder()
            .WithImage("busybox:latest")
            .WithCommand("httpd", "-f", "-p", "8080", "-h", "/etc")
            .WithPortBinding(8080, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request.ForPort(8080).ForPath("/hostname")))
            .Build();
        string id;
        await using (container)
        {
            await container.StartAsync();
            id = container.Id;

            using var http = new HttpClient();
            var passwd = await http.GetStringAsync($"http://{container.Hostname}:{container.GetMappedPublicPort(8080)}/passwd");
            Assert.Contains("root:x:0:0", passwd);

            var exec = await container.ExecAsync(["sh", "-c", "echo from-exec; echo to-stderr >&2; exit 3"]);
            Assert.Equal(3, exec.ExitCode);
            Assert.Equal("from-exec\n", exec.Stdout);
            Assert.Equal("to-stderr\n", exec.Stderr);

            await container.CopyAsync(Encoding.UTF8.GetBytes("copied in"), "/tmp/in.txt");
            Assert.Equal("copied in", (await container.ExecAsync(["cat", "/tmp/in.txt"])).Stdout);
            var back = await container.ReadFileAsync("/tmp/in.txt");
            Assert.Equal("copied in", Encoding.UTF8.GetString(back));
        }

        // Disposed: stopped and removed.
        var socket = new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST")!).LocalPath;
        using var api = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var unix = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                await unix.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket), cancel);
                return new System.Net.Sockets.NetworkStream(unix, ownsSocket: true);
            },
        });
        var list = await api.GetStringAsync("http://docker/containers/json?all=1");
        Assert.DoesNotContain(id, list);
    }
}
