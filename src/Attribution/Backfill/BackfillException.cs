namespace Attribution.Backfill;

/// <summary>A backfill run stopped; <see cref="Exception.Message"/> is one line for the user.</summary>
public sealed class BackfillException(BackfillFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public BackfillFailure Failure { get; } = failure;
}
