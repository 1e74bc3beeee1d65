using Attribution.Pages.Dashboard;

namespace Attribution.Tests.Pages;

public sealed class SearchQueryTests
{
    [Theory]
    [InlineData("https://github.com/acme/widgets/pull/42", "acme/widgets", 42)]
    [InlineData("https://github.com/acme/widgets/pull/42/files", "acme/widgets", 42)]
    [InlineData("https://gitlab.com/group/sub/app/-/merge_requests/7", "group/sub/app", 7)]
    public void PrUrl_ProviderUrls_GiveRepoAndNumber(string text, string repo, long number) =>
        new SearchQuery(text).PrUrl.Should().Be((repo, number));

    [Theory]
    [InlineData("#42", 42L)]
    [InlineData("42", 42L)]
    [InlineData("4x2", null)]
    [InlineData("#", null)]
    public void PrNumber_HashOrDigits_IsANumber(string text, long? number) => new SearchQuery(text).PrNumber.Should().Be(number);

    [Theory]
    [InlineData("ABCD", "abcd")]
    [InlineData("abc", null)]
    [InlineData("e8811ad6-1234", null)]
    public void ShaPrefix_HexOfFourOrMore_IsLowercased(string text, string? prefix) => new SearchQuery(text).ShaPrefix.Should().Be(prefix);

    [Theory]
    [InlineData("feat/sort", true)]
    [InlineData("two words", false)]
    [InlineData("https://github.com/a/b/pull/1", false)]
    public void IsToken_NoSpacesAndNoUrl_MayBeSessionOrBranch(string text, bool token) => new SearchQuery(text).IsToken.Should().Be(token);
}
