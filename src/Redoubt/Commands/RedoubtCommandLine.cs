using System.CommandLine;
using Redoubt.Kubernetes;

namespace Redoubt.Commands;

public static class RedoubtCommandLine
{
    public static RootCommand Build() => new("Redoubt: a managed, self-healing Redis (one master, replicas, three Sentinels) declared in YAML")
    {
        CommonOptions.Home,
        UpCommand.Create(),
        ServeCommand.Create(),
        ApplyCommand.Create(),
        GetCommand.Create(),
        DescribeCommand.Create(),
        EventsCommand.Create(),
        LogsCommand.Create(),
        DeleteCommand.Create(),
        FailoverCommand.Create(),
        RestartCommand.Create(),
        CredentialsCommand.Create(),
        BackupCommands.Backup(),
        BackupCommands.List(),
        BackupCommands.Restore(),
        KubernetesCommandLine.CreateRender(),
        KubernetesCommandLine.CreateOperator(),
        KubernetesCommandLine.CreateBackupJob(),
    };
}
