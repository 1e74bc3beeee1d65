using Attribution.Backfill;

namespace Attribution.Tests.Backfill;

public sealed class GitHubConnectionTests
{
    [Theory]
    [InlineData("https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/")]
    [InlineData("http://127.0.0.1:5000/custom/prefix/", "http://127.0.0.1:5000/custom/prefix/")]
    [InlineData("https://api.github.com/", "https://api.github.com/")]
    public void Connect_ApiUrl_IsUsedVerbatimWithATrailingSlash(string apiUrl, string expected)
    {
        using var handler = new HttpClientHandler();

        var connection = GitHubSource.Connect(new Uri(apiUrl), "t", handler);

        // GitHubClient(header, uri) would turn any non-github.com address into <host>/api/v3/.
        connection.BaseAddress.Should().Be(new Uri(expected));
    }
}
