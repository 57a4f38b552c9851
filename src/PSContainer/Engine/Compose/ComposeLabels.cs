namespace PSContainer.Engine.Compose;

/// <summary>The labels Docker Compose puts on what it creates; other tools find a project by them.</summary>
internal static class ComposeLabels
{
    public const string Project = "com.docker.compose.project";
    public const string Service = "com.docker.compose.service";
    public const string ContainerNumber = "com.docker.compose.container-number";
    public const string ConfigHash = "com.docker.compose.config-hash";
    public const string WorkingDir = "com.docker.compose.project.working_dir";
    public const string ConfigFiles = "com.docker.compose.project.config_files";
    public const string Oneoff = "com.docker.compose.oneoff";
    public const string Network = "com.docker.compose.network";
    public const string Volume = "com.docker.compose.volume";
    public const string Image = "com.docker.compose.image";
    public const string DependsOn = "com.docker.compose.depends_on";
}
