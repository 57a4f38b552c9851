using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.References;

namespace PSContainer.Tests.References;

public class ImageReferenceTests
{
    private const string D = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public static TheoryData<string, string, string> Valid => new()
    {
        { "ubuntu", "docker.io/library/ubuntu:latest", "ubuntu:latest" },
        { "ubuntu:22.04", "docker.io/library/ubuntu:22.04", "ubuntu:22.04" },
        { "library/ubuntu", "docker.io/library/ubuntu:latest", "ubuntu:latest" },
        { "docker.io/ubuntu", "docker.io/library/ubuntu:latest", "ubuntu:latest" },
        { "docker.io/library/ubuntu:1", "docker.io/library/ubuntu:1", "ubuntu:1" },
        { "index.docker.io/ubuntu", "docker.io/library/ubuntu:latest", "ubuntu:latest" },
        { "index.docker.io/user/app:2", "docker.io/user/app:2", "user/app:2" },
        { "user/app", "docker.io/user/app:latest", "user/app:latest" },
        { "user/app:1", "docker.io/user/app:1", "user/app:1" },
        { "library/foo/bar", "docker.io/library/foo/bar:latest", "library/foo/bar:latest" },
        { "a/b/c/d", "docker.io/a/b/c/d:latest", "a/b/c/d:latest" },
        { "ghcr.io/org/app:1.2", "ghcr.io/org/app:1.2", "ghcr.io/org/app:1.2" },
        { "quay.io/coreos/etcd", "quay.io/coreos/etcd:latest", "quay.io/coreos/etcd:latest" },
        { "localhost/app", "localhost/app:latest", "localhost/app:latest" },
        { "localhost:5000/app:v1", "localhost:5000/app:v1", "localhost:5000/app:v1" },
        { "127.0.0.1:5000/a/b", "127.0.0.1:5000/a/b:latest", "127.0.0.1:5000/a/b:latest" },
        { "[::1]:5000/app", "[::1]:5000/app:latest", "[::1]:5000/app:latest" },
        { "[fe80::1]/app:x", "[fe80::1]/app:x", "[fe80::1]/app:x" },
        { "myhost:5000/app", "myhost:5000/app:latest", "myhost:5000/app:latest" },
        { "Registry.Example.com/app", "Registry.Example.com/app:latest", "Registry.Example.com/app:latest" },
        { "UPPER/app", "UPPER/app:latest", "UPPER/app:latest" },
        { "localhost:5000", "docker.io/library/localhost:5000", "localhost:5000" },
        { "ubuntu@" + D, "docker.io/library/ubuntu@" + D, "ubuntu@" + D },
        { "ubuntu:22.04@" + D, "docker.io/library/ubuntu:22.04@" + D, "ubuntu:22.04@" + D },
        { "ghcr.io/org/app@" + D, "ghcr.io/org/app@" + D, "ghcr.io/org/app@" + D },
        { "x/a.b_c__d-e--f", "docker.io/x/a.b_c__d-e--f:latest", "x/a.b_c__d-e--f:latest" },
        { "foo_bar", "docker.io/library/foo_bar:latest", "foo_bar:latest" },
        { "foo__bar", "docker.io/library/foo__bar:latest", "foo__bar:latest" },
        { "foo---bar", "docker.io/library/foo---bar:latest", "foo---bar:latest" },
        { "foo.bar", "docker.io/library/foo.bar:latest", "foo.bar:latest" },
        { "app:Tag_With.UPPER-case", "docker.io/library/app:Tag_With.UPPER-case", "app:Tag_With.UPPER-case" },
        { "app:_", "docker.io/library/app:_", "app:_" },
        { "app:" + new string('t', 128), "docker.io/library/app:" + new string('t', 128), "app:" + new string('t', 128) },
        { "abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678", "docker.io/library/abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678:latest", "abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678:latest" },
    };

    public static TheoryData<string> Invalid => new()
    {
        "",
        "Ubuntu",
        "user/App",
        "ubuntu:",
        "ubuntu@",
        ":tag",
        "@" + D,
        "ubuntu:.tag",
        "ubuntu:-tag",
        "ubuntu:" + new string('t', 129),
        "ubuntu:tag:more",
        "ubuntu@sha256:abc",
        "ubuntu@sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "ubuntu@md5:d41d8cd98f00b204e9800998ecf8427e",
        "-app",
        "app-",
        "a..b",
        "a___b",
        "a/",
        "/a",
        "a//b",
        "docker.io/",
        "foo_bar.com/app",
        "-host.com/app",
        "host.com:port/app",
        "[::1/app",
        "ubuntu\n",
        "ubu ntu",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "registry.example.com/" + new string('a', 240),
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void NormalizesLikeDocker(string input, string full, string familiar)
    {
        var reference = ImageReference.Parse(input);
        Assert.Equal(full, reference.FullName);
        Assert.Equal(familiar, reference.FamiliarName);
        Assert.Equal(reference, ImageReference.Parse(reference.FullName));
        Assert.Equal(reference, ImageReference.Parse(reference.FamiliarName));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RejectsMalformed(string input)
    {
        Assert.False(ImageReference.TryParse(input, out _));
        var error = Assert.Throws<EngineException>(() => ImageReference.Parse(input));
        Assert.Equal("InvalidReference", error.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(input, error.Target);
    }

    [Fact]
    public void SplitsParts()
    {
        var r = ImageReference.Parse("localhost:5000/team/app:v2@" + D);
        Assert.Equal("localhost:5000", r.Registry);
        Assert.Equal("team/app", r.Repository);
        Assert.Equal("v2", r.Tag);
        Assert.Equal(D, r.Digest.ToString());
        Assert.Equal(D, r.ManifestReference);
        Assert.Equal("localhost:5000/team/app", r.Name);
    }

    [Fact]
    public void DigestOnlyHasNoTag()
    {
        var r = ImageReference.Parse("busybox@" + D);
        Assert.Null(r.Tag);
        Assert.Equal(D, r.ManifestReference);
    }

    [Fact]
    public void DockerHubApiIsRegistry1() =>
        Assert.Equal("registry-1.docker.io", ImageReference.Parse("ubuntu").ApiHost);

    [Fact]
    public void OtherRegistriesServeTheirOwnApi() =>
        Assert.Equal("localhost:5000", ImageReference.Parse("localhost:5000/x").ApiHost);

    [Fact]
    public void IdErrorSaysItLooksLikeAnId()
    {
        var error = Assert.Throws<EngineException>(() => ImageReference.Parse(new string('a', 64)));
        Assert.Contains("image id", error.Message);
    }

    [Fact]
    public void LowercaseErrorNamesTheInput()
    {
        var error = Assert.Throws<EngineException>(() => ImageReference.Parse("user/App:1"));
        Assert.Contains("'user/App:1'", error.Message);
        Assert.Contains("lowercase", error.Message);
    }

    [Fact]
    public void NameLengthLimitCountsTheRegistry()
    {
        var path = new string('a', 255 - "docker.io/library/".Length);
        Assert.True(ImageReference.TryParse(path, out _));
        Assert.False(ImageReference.TryParse(path + "a", out _));
    }
}
