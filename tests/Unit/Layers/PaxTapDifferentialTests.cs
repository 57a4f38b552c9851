using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using PSContainer.Engine.Layers;
using PSContainer.Tests.Registry.Support;

namespace PSContainer.Tests.Layers;

/// <summary>
/// The PAX header tap and the tar reader above it against an independent reader, Python's tarfile, on generated
/// archives: long names and link targets (PAX and GNU), binary xattrs, base-256 and PAX ids, hard links and global
/// headers. A disagreement would put an xattr such as security.capability, or an owner, on the wrong file.
/// </summary>
public sealed class PaxTapDifferentialTests : IDisposable
{
    private const string Python = """
        import json, sys, tarfile
        with tarfile.open(sys.argv[1], format=tarfile.PAX_FORMAT) as archive:
            for member in archive:
                xattrs = {k[len("SCHILY.xattr."):]: v.encode("utf-8", "surrogateescape").hex()
                          for k, v in member.pax_headers.items() if k.startswith("SCHILY.xattr.")}
                kind = member.type.decode("latin-1")
                print(json.dumps({"name": member.name.rstrip("/"), "type": "0" if kind == "\x00" else kind,
                                  "link": member.linkname, "uid": member.uid, "gid": member.gid, "size": member.size,
                                  "mtime": int(member.mtime // 1), "xattrs": dict(sorted(xattrs.items()))}))
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("psc-tardiff-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Entry(string Name, string Type, string Link, long Uid, long Gid, long Size, long Mtime, Dictionary<string, string> Xattrs)
    {
        public override string ToString() =>
            $"{Name} {Type} ->{Link} {Uid}:{Gid} {Size}B @{Mtime} {string.Join(",", Xattrs.Select(x => x.Key + "=" + x.Value))}";
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void TheTapReadsWhatPythonsTarfileReads(int seed)
    {
        var tar = Generate(new Random(seed));
        var path = Path.Combine(_dir, $"{seed}.tar");
        File.WriteAllBytes(path, tar);

        var ours = ReadWithTap(tar);
        var theirs = Tools.Run(Tools.Require("/usr/bin/python3", "python3"), "-c", Python, path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();

        Assert.True(ours.Count > 20, $"the generator made only {ours.Count} entries");
        foreach (var (theirEntry, ourEntry) in theirs.Zip(ours))
            Assert.Equal(theirEntry.ToString(), ourEntry.ToString());
        Assert.Equal(theirs.Count, ours.Count);
    }

    private static List<Entry> ReadWithTap(byte[] tar)
    {
        var entries = new List<Entry>();
        using var tap = new PaxHeaderTap(new MemoryStream(tar));
        using var reader = new TarReader(tap, leaveOpen: true);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
                continue;
            var metadata = TarEntryMetadata.Read(entry, tap.Current);
            var type = entry.EntryType == TarEntryType.V7RegularFile ? "0" : ((char)entry.EntryType).ToString();
            entries.Add(new Entry(entry.Name.TrimEnd('/'), type, entry.LinkName, (uint)metadata.Uid, (uint)metadata.Gid, entry.Length,
                metadata.ModificationTime.ToUnixTimeSeconds(), metadata.Xattrs.ToDictionary(x => x.Key, x => Convert.ToHexStringLower(x.Value))));
        }
        return entries;
    }

    private static Entry Parse(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return new Entry(root.GetProperty("name").GetString()!, root.GetProperty("type").GetString()!, root.GetProperty("link").GetString()!,
            root.GetProperty("uid").GetInt64(), root.GetProperty("gid").GetInt64(), root.GetProperty("size").GetInt64(), root.GetProperty("mtime").GetInt64(),
            root.GetProperty("xattrs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }

    private static byte[] Generate(Random random)
    {
        var tar = new RawTar();
        var files = new List<string>();
        long[] ids = [0, 1000, 65534, (1L << 31) + 5, 4294967294];
        for (var i = 0; i < 40; i++)
        {
            var name = Name(random, i);
            var uid = ids[random.Next(ids.Length)];
            var gid = ids[random.Next(ids.Length)];
            var mtime = random.NextInt64(0, 4_000_000_000);
            var (type, content, link) = (random.Next(6), files.Count) switch
            {
                (0, > 0) => ('1', (byte[]?)null, files[random.Next(files.Count)]),
                (1, _) => ('2', null, Name(random, 1000 + i)),
                (2, _) => ('5', null, ""),
                _ => ('0', Bytes(random, random.Next(0, 1500)), ""),
            };
            if (random.Next(8) == 0)
                tar.Entry("GlobalHead", 'g', Encoding.UTF8.GetBytes("19 comment=ignored\n"));
            var headerName = Encoding.UTF8.GetByteCount(name) > 99 ? "long-" + i : name;
            var headerLink = Encoding.UTF8.GetByteCount(link) > 99 ? "long-link" : link;
            if (random.Next(2) == 0)
            {
                // As GNU tar --format=gnu writes: long names in 'L' and 'K' entries, large ids in base-256.
                if (headerName != name) tar.GnuLong('L', name);
                if (headerLink != link) tar.GnuLong('K', link);
                tar.Entry(headerName, type, content, headerLink, uid, gid, mtime, gnu: true);
            }
            else
            {
                // As Go, BuildKit and GNU tar --format=posix write: everything that does not fit in PAX records.
                var records = new List<(string, byte[])>();
                if (headerName != name) records.Add(RawTar.Record("path", name));
                if (headerLink != link) records.Add(RawTar.Record("linkpath", link));
                // Some writers give the entry after PAX records GNU magic and base-256 ids; the reader then makes a
                // GNU entry, which does not show the records.
                var gnuEntry = random.Next(4) == 0;
                if (uid > 2097151 && !gnuEntry) records.Add(RawTar.Record("uid", uid.ToString()));
                if (gid > 2097151 && !gnuEntry) records.Add(RawTar.Record("gid", gid.ToString()));
                if (random.Next(4) == 0) records.Add(RawTar.Record("mtime", $"{mtime}.{random.Next(1, 999_999_999)}"));
                if (random.Next(3) == 0) records.Add(("SCHILY.xattr.security.capability", Bytes(random, 20)));
                if (random.Next(3) == 0) records.Add(("SCHILY.xattr.user.note", Bytes(random, random.Next(1, 60))));
                if (records.Count > 0)
                    tar.Pax([.. records]);
                tar.Entry(headerName, type, content, headerLink, uid > 2097151 && !gnuEntry ? 0 : uid, gid > 2097151 && !gnuEntry ? 0 : gid, mtime, gnu: gnuEntry);
            }
            if (type == '0')
                files.Add(name);
        }
        return tar.Build();
    }

    // Names of every length around the 100-byte ustar field, some with non-ASCII letters.
    private static string Name(Random random, int i)
    {
        var length = random.Next(4) switch { 0 => random.Next(1, 20), 1 => random.Next(95, 105), _ => random.Next(20, 300) };
        var builder = new StringBuilder($"e{i}/");
        while (builder.Length < length)
            builder.Append(random.Next(12) == 0 ? 'é' : (char)('a' + random.Next(26)));
        return builder.ToString();
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
