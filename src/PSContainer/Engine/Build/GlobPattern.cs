using System.Text.RegularExpressions;
using System.Text;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// Turns Go-style glob patterns into anchored regular expressions: <c>*</c>, <c>?</c>, <c>[…]</c> classes
/// (<c>[^…]</c> and <c>[!…]</c> negate) and <c>\</c> escapes; with <c>slashIsSeparator</c>, <c>*</c> and
/// <c>?</c> stop at '/' and <c>**</c> spans any number of directories, as .dockerignore and COPY sources use them.
/// </summary>
internal static class GlobPattern
{
    /// <summary>The regex that matches exactly what <paramref name="pattern"/> matches.</summary>
    public static Regex ToRegex(string pattern, bool slashIsSeparator)
    {
        var any = slashIsSeparator ? "[^/]" : ".";
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when slashIsSeparator && i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/') i++;
                    // "**" at the end takes everything; elsewhere any number of directories, even none.
                    regex.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
                    break;
                case '*':
                    regex.Append(any).Append('*');
                    break;
                case '?':
                    regex.Append(any);
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 2);
                    if (close < 0) { regex.Append(@"\["); break; }
                    var body = pattern[(i + 1)..close];
                    if (body.StartsWith('!') || body.StartsWith('^')) body = "^" + body[1..];
                    regex.Append('[').Append(body.Replace(@"\", @"\\").Replace("[", @"\[")).Append(']');
                    i = close;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        regex.Append('$');
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>Whether <paramref name="text"/> holds any glob metacharacter.</summary>
    public static bool HasWildcards(string text) => text.IndexOfAny(['*', '?', '[']) >= 0;
}
