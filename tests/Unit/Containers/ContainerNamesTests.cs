using System.Reflection;
using System.Text.RegularExpressions;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Storage;

namespace PSContainer.Tests.Containers;

public sealed class ContainerNamesTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("my_app.v1-2")]
    [InlineData("Web-Server")]
    public void AcceptsValidNames(string name) => ContainerNames.Validate(name);

    [Fact]
    public void AcceptsTheLongestName() => ContainerNames.Validate(new string('a', 253));

    [Theory]
    [InlineData("")]
    [InlineData("-web")]
    [InlineData("_web")]
    [InlineData(".web")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("café")]
    [InlineData("web\n")]
    [InlineData("web\nother")]
    public void RejectsInvalidNames(string name)
    {
        var ex = Assert.Throws<EngineException>(() => ContainerNames.Validate(name));
        Assert.Equal("InvalidContainerName", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void RejectsTooLongNames() =>
        Assert.Throws<EngineException>(() => ContainerNames.Validate(new string('a', 254)));

    [Fact]
    public void GeneratesDockerStyleNames()
    {
        for (var i = 0; i < 50; i++)
        {
            var name = ContainerNames.Generate(new HashSet<string>());
            Assert.Matches("^[a-z]+_[a-z]+$", name);
            ContainerNames.Validate(name);
        }
    }

    [Fact]
    public void GeneratedNamesAvoidTakenOnes()
    {
        var all = AllCombinations();
        var free = all[^1];
        var taken = all.Take(all.Count - 1).ToHashSet();
        // With one combination left, a plain name is the free one; otherwise a numbered one that is not taken.
        for (var i = 0; i < 20; i++)
        {
            var name = ContainerNames.Generate(taken);
            Assert.DoesNotContain(name, taken);
            Assert.True(name == free || Regex.IsMatch(name, "^[a-z]+_[a-z]+[0-9]+$"), name);
        }
    }

    [Fact]
    public void GeneratesNumberedNamesWhenAllAreTaken()
    {
        var taken = AllCombinations().ToHashSet();
        var name = ContainerNames.Generate(taken);
        Assert.Matches("^[a-z]+_[a-z]+[0-9]+$", name);
        Assert.DoesNotContain(name, taken);
    }

    [Fact]
    public void NewIdIs64LowercaseHexAndUnique()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => RecordId.New()).ToList();
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{64}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static List<string> AllCombinations()
    {
        static string[] Field(string name) =>
            (string[])typeof(ContainerNames).GetField(name, BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        return [.. from a in Field("Adjectives") from s in Field("Surnames") select a + "_" + s];
    }
}
