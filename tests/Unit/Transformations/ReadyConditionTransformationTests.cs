using System.Collections;
using System.Management.Automation;
using PSContainer.Engine.Containers;
using PSContainer.Transformations;

namespace PSContainer.Tests.Transformations;

public sealed class ReadyConditionTransformationTests
{
    private static ReadyCondition Transform(object input) =>
        (ReadyCondition)new ReadyConditionTransformationAttribute().Transform(null!, input);

    [Fact]
    public void TakesTheKindsWithoutArguments()
    {
        Assert.Same(ReadyCondition.Running, Transform("running"));
        Assert.Same(ReadyCondition.Healthy, Transform("Healthy"));
    }

    [Fact]
    public void TakesAKindWithItsArgumentAsAList()
    {
        Assert.Equal(8080, Transform(new object[] { "Port", 8080 }).Port);
        Assert.Equal(8080, Transform(new object[] { "Port", "8080" }).Port);
        Assert.Equal("ready", Transform(new object[] { "Log", "ready" }).Pattern!.ToString());
        Assert.Equal(["test", "-f", "/ready"], Transform(new object[] { "Command", "test", "-f", "/ready" }).Command);
    }

    [Fact]
    public void TakesAOneEntryHashtableABarePortAndAConditionObject()
    {
        Assert.Equal(80, Transform(new Hashtable { ["Port"] = 80 }).Port);
        Assert.Equal(["cat", "/ready"], Transform(new Hashtable { ["Command"] = new object[] { "cat", "/ready" } }).Command);
        Assert.Equal(5432, Transform(5432).Port);
        var condition = ReadyCondition.ForLog("x");
        Assert.Same(condition, Transform(new PSObject(condition)));
    }

    [Theory]
    [InlineData("Ready", "Cannot wait for Ready")]
    [InlineData("Port", "-WaitFor Port takes one argument")]
    public void RefusesWhatItCannotRead(string input, string message)
    {
        var ex = Assert.Throws<ArgumentTransformationMetadataException>(() => Transform(input));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void RefusesArgumentsWhereNoneBelongAndPortsThatAreNotNumbers()
    {
        Assert.Contains("-WaitFor Running takes no argument", Assert.Throws<ArgumentTransformationMetadataException>(() => Transform(new object[] { "Running", 1 })).Message);
        Assert.Contains("'http' is not a port number", Assert.Throws<ArgumentTransformationMetadataException>(() => Transform(new object[] { "Port", "http" })).Message);
        Assert.Contains("not between 1 and 65535", Assert.Throws<ArgumentTransformationMetadataException>(() => Transform(70000)).Message);
    }
}
