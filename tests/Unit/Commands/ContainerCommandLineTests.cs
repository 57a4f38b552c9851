using PSContainer.Commands.Containers;

namespace PSContainer.Tests.Commands;

public sealed class ContainerCommandLineTests
{
    [Theory]
    [InlineData("nmae", "name", 1)]      // two neighbours swapped
    [InlineData("nam", "name", 1)]
    [InlineData("name", "name", 0)]
    [InlineData("imgae", "image", 1)]
    [InlineData("verbose", "v", 6)]
    public void CountsTheEditsBetweenAParameterTokenAndAName(string typed, string name, int edits) =>
        Assert.Equal(edits, ContainerCommandLine.EditDistance(typed, name));
}
