using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>What a build reports as it goes.</summary>
internal enum BuildProgressKind
{
    /// <summary>A step starts (Text is "STEP n/m: instruction").</summary>
    Step,
    /// <summary>A step was found in the cache and not run.</summary>
    CacheHit,
    /// <summary>A line a RUN step printed.</summary>
    Output,
    /// <summary>Something worth telling that is not a step (a pull, the result).</summary>
    Note,
}

/// <summary>One report of a running build.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Step">The step's number, from 1.</param>
/// <param name="Total">The number of steps the build has.</param>
/// <param name="Text">The line to show.</param>
internal sealed record BuildProgress(BuildProgressKind Kind, int Step, int Total, string Text);
