using PSContainer.Engine.Containers;
using PSContainer.Engine.Content;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>What the builder works with: the stores, the image service and puller, and the runner of RUN steps.</summary>
internal sealed record BuildDependencies(
    StoreLayout Layout,
    ContentStore Content,
    LayerStore Layers,
    ImageStore ImageStore,
    ImageService Images,
    ImagePuller Puller,
    TransientContainer Runner);
