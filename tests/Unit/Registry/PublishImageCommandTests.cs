using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PSContainer.Commands.Images;
using PSContainer.Engine.Images;
using PSContainer.Tests.Registry.Support;

namespace PSContainer.Tests.Registry;

/// <summary>Publish-Image and Find-Image hosted in-process against a docker-registry on 127.0.0.1.</summary>
public sealed class PublishImageCommandTests : IClassFixture<PlainRegistryFixture>, IDisposable
{
    private readonly DistributionRegistry _server;
    private readonly TestStore _store = new();
    private readonly (string? Root, string? RunRoot) _saved =
        (Environment.GetEnvironmentVariable("PSCONTAINER_ROOT"), Environment.GetEnvironmentVariable("PSCONTAINER_RUNROOT"));

    public PublishImageCommandTests(PlainRegistryFixture fixture)
    {
        _server = fixture.Server;
        // The cmdlets open the engine from the environment, as in a user's session.
        Environment.SetEnvironmentVariable("PSCONTAINER_ROOT", _store.Engine.Layout.Root);
        Environment.SetEnvironmentVariable("PSCONTAINER_RUNROOT", _store.Engine.Layout.RunRoot);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("PSCONTAINER_ROOT", _saved.Root);
        Environment.SetEnvironmentVariable("PSCONTAINER_RUNROOT", _saved.RunRoot);
        _store.Dispose();
    }

    private static PowerShell Shell()
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Publish-Image", typeof(PublishImageCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Find-Image", typeof(FindImageCommand), null));
        return PowerShell.Create(state);
    }

    [Fact]
    public void WritesTheResultAndLayerProgressFromThePipelineThread()
    {
        var content = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(400_000));
        _store.Import("psc-cmdlet:latest", content);
        using var shell = Shell();
        shell.AddCommand("Publish-Image").AddParameter("Name", "psc-cmdlet").AddParameter("Destination", $"{_server.Host}/psc/cmdlet:1");

        var result = Assert.IsType<ImagePushResult>(Assert.Single(shell.Invoke()).BaseObject);

        Assert.Empty(shell.Streams.Error);
        Assert.Equal($"{_server.Host}/psc/cmdlet:1", result.Reference);
        var progress = shell.Streams.Progress.Where(p => p.Activity.StartsWith("Pushing layer", StringComparison.Ordinal)).ToList();
        Assert.Contains(progress, p => p.StatusDescription.StartsWith("Compressing", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.StatusDescription.StartsWith("Uploading", StringComparison.Ordinal) && p.PercentComplete is > 0 and <= 100);
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
        Assert.Equal("pushed", progress[^1].StatusDescription);
    }

    [Fact]
    public void ReportsEachBadItemAndGoesOn()
    {
        _store.Import("psc-good:latest", "good");
        using var shell = Shell();
        shell.AddScript($"'psc-missing:1', 'psc-good' | Publish-Image -Destination '{_server.Host}/psc/mixed:1'; Find-Image '{_server.Host}/psc/mixed:nope'");

        var output = shell.Invoke();

        Assert.Equal("1", Assert.IsType<ImagePushResult>(Assert.Single(output).BaseObject).Tag);
        Assert.Equal(
            ["ImageNotFound,PSContainer.Commands.Images.PublishImageCommand", "TagNotFound,PSContainer.Commands.Images.FindImageCommand"],
            shell.Streams.Error.Select(e => e.FullyQualifiedErrorId));
        Assert.Equal(ErrorCategory.ObjectNotFound, shell.Streams.Error[0].CategoryInfo.Category);
    }
}
