using System.CommandLine;

namespace Attribution.Hosting;

/// <summary>Lets features hang subcommands under shared parents such as <c>ingest</c> and <c>attribute</c>.</summary>
public static class CommandTree
{
    public static Command Child(this Command parent, string name, string description)
    {
        var existing = parent.Subcommands.FirstOrDefault(c => c.Name == name);
        if (existing is not null)
        {
            return existing;
        }

        var command = new Command(name, description);
        parent.Subcommands.Add(command);
        return command;
    }

    public static Command Ingest(this RootCommand root) =>
        root.Child("ingest", "Bring data in: agent sessions, git history, GitHub or GitLab history.");

    public static Command Attribute(this RootCommand root) =>
        root.Child("attribute", "Link sessions, commits and PRs, and ask where a commit or session led.");
}
