namespace Attribution.Common;

/// <summary>Whether the graph is built to serve HTTP or to run one CLI command.</summary>
public enum HostMode
{
    Serve,
    Cli,
}
