using PSContainer.Engine.Content;

namespace PSContainer.Tests;

public class DigestTests
{
    [Theory]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", false)]
    [InlineData("sha256:e3b0", false)]
    [InlineData("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false)]
    [InlineData("sha256:../../../../etc/passwd0000000000000000000000000000000000000000000", false)]
    public void ParsesOnlyLowercaseSha256(string text, bool valid) =>
        Assert.Equal(valid, Digest.TryParse(text, out _));

    [Fact]
    public void HashesEmptyContent() =>
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.Of([]).ToString());
}
