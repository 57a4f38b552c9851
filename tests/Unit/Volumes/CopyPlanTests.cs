using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Tests.Volumes;

public sealed class CopyPlanTests
{
    [Fact]
    public void AnExistingDirectoryReceivesTheSourceUnderItsName()
    {
        Assert.Equal(new CopyPlan("/dst/hosts", false), Plan(false, false, "hosts", "/dst", CopyDestination.Directory));
        Assert.Equal(new CopyPlan("/dst/site", false), Plan(true, false, "site", "/dst/", CopyDestination.Directory));
    }

    [Fact]
    public void DotMeansTheContents()
    {
        Assert.Equal(new CopyPlan("/dst", true), Plan(true, true, "site", "/dst", CopyDestination.Directory));
        Assert.Equal(new CopyPlan("/dst", false), Plan(true, true, "site", "/dst", CopyDestination.Missing));
    }

    [Fact]
    public void TheRootCopiesItsContents() =>
        Assert.Equal(new CopyPlan("/dst", true), Plan(true, false, "", "/dst", CopyDestination.Directory));

    [Fact]
    public void AMissingDestinationBecomesTheCopy()
    {
        Assert.Equal(new CopyPlan("/dst/new", false), Plan(false, false, "hosts", "/dst/new", CopyDestination.Missing));
        Assert.Equal(new CopyPlan("/dst/new", false), Plan(true, false, "site", "/dst/new", CopyDestination.Missing, mustBeDirectory: true));
    }

    [Fact]
    public void AFileIsReplacedByAFile() =>
        Assert.Equal(new CopyPlan("/dst/file", false), Plan(false, false, "hosts", "/dst/file", CopyDestination.Other));

    [Theory]
    [InlineData(true, "Other", false, true, "CannotCopyDirectoryOverFile")]
    [InlineData(false, "Other", true, true, "DestinationNotDirectory")]
    [InlineData(false, "Missing", false, false, "CopyDestinationNotFound")]
    [InlineData(false, "Missing", true, true, "CopyDestinationNotFound")]
    public void RefusesWhatDockerRefuses(bool sourceIsDirectory, string found, bool mustBeDirectory, bool parentExists, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<EngineException>(() =>
            CopyPlan.Decide(sourceIsDirectory, false, "x", "/dst/x", Enum.Parse<CopyDestination>(found), mustBeDirectory, parentExists, "/dst/x")).ErrorId);

    [Theory]
    [InlineData("/etc/hosts", "/etc/hosts", "hosts")]
    [InlineData("/etc/", "/etc", "etc")]
    [InlineData("/etc/..", "/", "")]
    [InlineData("/evil", "/", "evil")]
    [InlineData("/var/log/..", "/var", "var")]
    public void NamesComeFromThePathAsWritten(string path, string resolved, string name) =>
        Assert.Equal(name, CopyPlan.NameOf(path, resolved));

    [Theory]
    [InlineData("dir/.", true, true)]
    [InlineData(".", true, true)]
    [InlineData("dir/", false, true)]
    [InlineData("dir", false, false)]
    [InlineData("dir/..", false, false)]
    public void ReadsTrailingMarks(string path, bool contents, bool directory)
    {
        Assert.Equal(contents, CopyPlan.MeansContents(path));
        Assert.Equal(directory, CopyPlan.MeansDirectory(path));
    }

    private static CopyPlan Plan(bool sourceIsDirectory, bool contentsOnly, string name, string destination, CopyDestination found, bool mustBeDirectory = false) =>
        CopyPlan.Decide(sourceIsDirectory, contentsOnly, name, destination, found, mustBeDirectory, parentExists: true, destination);
}
