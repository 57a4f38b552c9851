using PSContainer.Tests.Registry.Support;

namespace PSContainer.Tests.Registry;

/// <summary>
/// A docker-registry serving TLS with a certificate from a CA made with openssl for this run, and htpasswd
/// (bcrypt) Basic auth. The CA is laid out as certs.d/&lt;host:port&gt;/ca.crt, as Docker and Podman expect.
/// </summary>
public sealed class SecureRegistryFixture : IDisposable
{
    public const string User = "alice";
    public const string Password = "s3cret-pw";

    public SecureRegistryFixture()
    {
        var openssl = Tools.Require("/usr/bin/openssl", "openssl");
        var htpasswd = Tools.Require("/usr/bin/htpasswd", "apache2-utils");
        WorkDirectory = Directory.CreateTempSubdirectory("psc-tls-").FullName;
        string F(string name) => Path.Combine(WorkDirectory, name);

        Tools.Run(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=PSContainer Test CA",
            "-keyout", F("ca.key"), "-out", F("ca.crt"));
        Tools.Run(openssl, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", F("server.key"), "-out", F("server.csr"));
        File.WriteAllText(F("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        Tools.Run(openssl, "x509", "-req", "-in", F("server.csr"), "-CA", F("ca.crt"), "-CAkey", F("ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", F("ext.cnf"), "-out", F("server.crt"));
        File.WriteAllText(F("htpasswd"), Tools.Run(htpasswd, "-Bbn", User, Password));

        Server = DistributionRegistry.Start(F("server.crt"), F("server.key"), F("htpasswd"));
        CertsD = F("certs.d");
        Directory.CreateDirectory(Path.Combine(CertsD, Server.Host));
        File.Copy(F("ca.crt"), Path.Combine(CertsD, Server.Host, "ca.crt"));
    }

    internal DistributionRegistry Server { get; }

    public string WorkDirectory { get; }

    /// <summary>A certs.d-style directory that trusts the test CA for the registry.</summary>
    public string CertsD { get; }

    public void Dispose()
    {
        Server.Dispose();
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
