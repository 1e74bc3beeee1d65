namespace Attribution.Backfill;

/// <summary>
/// Pagination a remote API cannot loop: a <c>Link: rel="next"</c> (or <c>X-Next-Page</c>) that names a page already read
/// stops the run with an error instead of fetching it forever (a broken proxy or a hostile server did: 128,887 requests).
/// </summary>
public static class BackfillPaging
{
    /// <summary>The next page number, when it comes after <paramref name="current"/>; throws when it does not.</summary>
    public static int? NextPage(int current, int? next, string provider) =>
        next is { } n && n <= current
            ? throw new BackfillException(BackfillFailure.Unavailable, $"{provider} pagination points back to page {n} after page {current}; stopped")
            : next;

    /// <summary>Records <paramref name="address"/> as read; throws when it was read before.</summary>
    public static void EnsureNew(HashSet<string> seen, string address, string provider)
    {
        if (!seen.Add(address))
        {
            throw new BackfillException(BackfillFailure.Unavailable, $"{provider} pagination repeats {address}; stopped");
        }
    }
}
