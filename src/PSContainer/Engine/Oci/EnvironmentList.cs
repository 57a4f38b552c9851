namespace PSContainer.Engine.Oci;

/// <summary>Edits a process environment kept as "KEY=value" strings, where a later setting replaces an earlier one.</summary>
internal static class EnvironmentList
{
    /// <summary>Sets <paramref name="entry"/> ("KEY=value"), dropping any earlier value of its key.</summary>
    public static void Set(List<string> environment, string entry)
    {
        var key = entry.Split('=', 2)[0];
        environment.RemoveAll(e => e.Split('=', 2)[0] == key);
        environment.Add(entry);
    }
}
