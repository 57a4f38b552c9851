using PSContainer.Engine.Content;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Images;

/// <summary>
/// Image records (<c>images/&lt;id&gt;.json</c>) and the tag index (<c>images/tags.json</c>: full reference →
/// image id). Config blobs live in the content store. Mutations need the store lock.
/// </summary>
internal sealed class ImageStore
{
    private readonly StoreLayout _layout;
    private readonly ContentStore _content;

    public ImageStore(StoreLayout layout, ContentStore content)
    {
        _layout = layout;
        _content = content;
    }

    private string TagsFile => Path.Combine(_layout.ImagesDir, "tags.json");

    private string RecordPath(string imageId) => Path.Combine(_layout.ImagesDir, Digest.Parse(imageId).Hex + ".json");

    /// <summary>Every image record.</summary>
    public List<ImageRecord> List()
    {
        var list = new List<ImageRecord>();
        foreach (var file in Directory.EnumerateFiles(_layout.ImagesDir, "*.json"))
        {
            if (Path.GetFileName(file) == "tags.json") continue;
            var record = StoreJson.TryRead(file, ImageJsonContext.Default.ImageRecord);
            if (record is not null) list.Add(record);
        }
        return list;
    }

    /// <summary>An image by id, or null.</summary>
    public ImageRecord? Get(string imageId) =>
        Digest.TryParse(imageId, out _) ? StoreJson.TryRead(RecordPath(imageId), ImageJsonContext.Default.ImageRecord) : null;

    /// <summary>The image's config, from the content store.</summary>
    public OciImageConfig Config(ImageRecord image) =>
        System.Text.Json.JsonSerializer.Deserialize(_content.ReadAllBytes(Digest.Parse(image.Id)), OciJsonContext.Default.OciImageConfig)
        ?? throw new EngineException("CorruptImageConfig", EngineErrorKind.InvalidData, $"Image {image.Id} has an empty config.", image.Id);

    /// <summary>Adds or replaces an image record. Its config blob and layers must be stored first.</summary>
    public void Put(ImageRecord image) => StoreJson.Write(RecordPath(image.Id), image, ImageJsonContext.Default.ImageRecord);

    /// <summary>Removes an image record and its tags; layers and blobs are collected separately.</summary>
    public void Delete(string imageId)
    {
        var tags = Tags();
        var removed = tags.Where(t => t.Value == imageId).Select(t => t.Key).ToList();
        if (removed.Count > 0)
        {
            foreach (var key in removed) tags.Remove(key);
            WriteTags(tags);
        }
        File.Delete(RecordPath(imageId));
    }

    /// <summary>The tag index: full reference → image id.</summary>
    public Dictionary<string, string> Tags() =>
        File.Exists(TagsFile) ? StoreJson.Read(TagsFile, ImageJsonContext.Default.DictionaryStringString) : new(StringComparer.Ordinal);

    /// <summary>Points a full reference at an image, moving it from any other image.</summary>
    public void Tag(string fullReference, string imageId)
    {
        var tags = Tags();
        tags[fullReference] = imageId;
        WriteTags(tags);
    }

    /// <summary>Removes a tag; returns false when it did not exist.</summary>
    public bool Untag(string fullReference)
    {
        var tags = Tags();
        if (!tags.Remove(fullReference)) return false;
        WriteTags(tags);
        return true;
    }

    private void WriteTags(Dictionary<string, string> tags) =>
        StoreJson.Write(TagsFile, new Dictionary<string, string>(tags.OrderBy(t => t.Key, StringComparer.Ordinal)), ImageJsonContext.Default.DictionaryStringString);
}
