using Microsoft.AspNetCore.Http;
using PSContainer.Api;

namespace PSContainer.Tests.Api;

public sealed class QueryTests
{
    private static HttpContext With(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context;
    }

    [Fact]
    public void ReadsBothFilterNotations()
    {
        var modern = Query.Filters(With("?filters=" + Uri.EscapeDataString("""{"label":["a=b","c"],"status":["running"]}""")));
        Assert.Equal(["a=b", "c"], modern["label"]);
        var legacy = Query.Filters(With("?filters=" + Uri.EscapeDataString("""{"label":{"a=b":true}}""")));
        Assert.Equal(["a=b"], legacy["label"]);
    }

    [Fact]
    public void MalformedFiltersAreABadRequest()
    {
        var ex = Assert.Throws<ApiException>(() => Query.Filters(With("?filters=%7Bnot-json")));
        Assert.Equal(400, ex.Status);
    }

    [Fact]
    public void MatchesLabelsByKeyOrKeyAndValue()
    {
        var labels = new Dictionary<string, string> { ["a"] = "b", ["c"] = "d" };
        Assert.True(Query.LabelsMatch(labels, ["a=b", "c"]));
        Assert.False(Query.LabelsMatch(labels, ["a=x"]));
        Assert.False(Query.LabelsMatch(labels, ["e"]));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    public void ReadsDockerBooleans(string text, bool expected) => Assert.Equal(expected, Query.Bool(With("?all=" + text), "all"));

    [Fact]
    public void ReadsUnixAndRfc3339Times()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), Query.Time(With("?since=1700000000"), "since"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000500), Query.Time(With("?since=1700000000.5"), "since"));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), Query.Time(With("?until=2026-01-02T03:04:05Z"), "until"));
    }
}
