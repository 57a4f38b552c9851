namespace PSContainer.Engine.Archives;

/// <summary>The image archive layouts Export-Image writes and Import-Image reads.</summary>
public enum ImageArchiveFormat
{
    /// <summary>
    /// What <c>docker save</c> writes: manifest.json with configs and layer tars, and since Docker 25 an OCI
    /// layout (oci-layout, index.json, blobs/sha256) in the same tar.
    /// </summary>
    DockerArchive,

    /// <summary>An OCI image layout in a tar: oci-layout, index.json and blobs/sha256, as <c>podman save --format oci-archive</c> writes.</summary>
    OciArchive,
}
