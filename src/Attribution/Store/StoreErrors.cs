namespace Attribution.Store;

/// <summary>What a failure of a store call means to its caller, so that only <c>Store/</c> knows database exception types.</summary>
public static class StoreErrors
{
    /// <summary>
    /// True when the database could not take or give the data now (its error, a closed or busy connection, a timeout,
    /// the file system): the caller answers "try again later" and loses nothing.
    /// </summary>
    public static bool IsUnavailable(Exception ex) =>
        ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or IOException;

    /// <summary>
    /// True when the database refused the data itself (SQLSTATE class 22, "data exception": a value out of range, bad
    /// text encoding): trying the same data again fails the same way.
    /// </summary>
    public static bool IsBadData(Exception ex) =>
        ex is System.Data.Common.DbException { SqlState: { } state } && state.StartsWith("22", StringComparison.Ordinal);
}
