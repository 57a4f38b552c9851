using PSContainer.Engine.Registry;

namespace PSContainer.Tests.Registry;

public class LinkHeaderTests
{
    private static readonly Uri Current = new("https://registry.example:5000/v2/app/tags/list?n=2");

    [Fact]
    public void ResolvesRelativeNextLink() =>
        Assert.Equal(new Uri("https://registry.example:5000/v2/app/tags/list?last=b&n=2"),
            LinkHeader.Next(["</v2/app/tags/list?last=b&n=2>; rel=\"next\""], Current));

    [Fact]
    public void AcceptsAbsoluteAndUnquotedRel() =>
        Assert.Equal(new Uri("https://other/v2/x?last=1"), LinkHeader.Next(["<https://other/v2/x?last=1>;rel=next"], Current));

    [Fact]
    public void PicksNextAmongSeveralLinks() =>
        Assert.Equal(new Uri("https://registry.example:5000/p3"),
            LinkHeader.Next(["</p1>; rel=\"prev\", </p3>; rel=\"next\""], Current));

    [Fact]
    public void FindsNextInASecondHeader() =>
        Assert.Equal(new Uri("https://registry.example:5000/p2"), LinkHeader.Next(["</p1>; rel=\"prev\"", "</p2>; rel=\"next\""], Current));

    [Theory]
    [InlineData("</p1>; rel=\"prev\"")]
    [InlineData("</p1>")]
    [InlineData("garbage")]
    [InlineData("")]
    public void NoNextLinkIsNull(string header) => Assert.Null(LinkHeader.Next([header], Current));
}
