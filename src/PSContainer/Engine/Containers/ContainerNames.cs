using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace PSContainer.Engine.Containers;

/// <summary>Container name rules and Docker-style generated names.</summary>
internal static partial class ContainerNames
{
    private static readonly string[] Adjectives =
    [
        "admiring", "bold", "brave", "calm", "clever", "eager", "elated", "festive", "focused", "gallant",
        "happy", "jolly", "keen", "kind", "lucid", "modest", "nifty", "quirky", "serene", "sharp",
        "stoic", "tender", "trusting", "vibrant", "wizardly", "zealous",
    ];

    private static readonly string[] Surnames =
    [
        "babbage", "bardeen", "curie", "darwin", "dijkstra", "einstein", "euler", "feynman", "galois",
        "hamilton", "hopper", "kepler", "knuth", "lamport", "lovelace", "meitner", "noether", "pascal",
        "ritchie", "shannon", "thompson", "turing", "wozniak", "yonath",
    ];

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,252}\z")]
    private static partial Regex ValidName();

    /// <summary>Throws unless <paramref name="name"/> is a valid container name.</summary>
    public static void Validate(string name)
    {
        if (!ValidName().IsMatch(name))
            throw new EngineException("InvalidContainerName", EngineErrorKind.InvalidArgument,
                $"Invalid container name '{name}': use letters, digits, '_', '.' and '-', starting with a letter or digit.", name);
    }

    /// <summary>A random adjective_surname name not in <paramref name="taken"/>.</summary>
    public static string Generate(ISet<string> taken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)] + "_" + Surnames[RandomNumberGenerator.GetInt32(Surnames.Length)];
            if (attempt > 10) name += RandomNumberGenerator.GetInt32(1000);
            if (!taken.Contains(name)) return name;
        }
    }
}
