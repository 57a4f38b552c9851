namespace PSContainer.Tests.BuildScript;

/// <summary>
/// A test that fails only when PSCONTAINER_PLANT_FAILURE=1 asks it to: BuildScript.Tests.ps1 runs it through
/// <c>build.ps1 UnitTest</c> to prove that a red test turns the build red.
/// </summary>
public sealed class PlantedFailureTests
{
    internal const string Variable = "PSCONTAINER_PLANT_FAILURE";

    [Fact]
    public void FailsOnlyWhenAsked() =>
        Assert.True(Environment.GetEnvironmentVariable(Variable) != "1", $"{Variable}=1 planted this failure.");
}
