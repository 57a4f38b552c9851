#Requires -Version 7.6
<#
.SYNOPSIS
    Times the docker CLI on PSContainer's API socket beside podman, in one run.
.DESCRIPTION
    Two comparisons, interleaved round-robin so host noise falls on both sides alike:
      (1) `docker run --rm busybox true` through pscontainer-api  vs  `podman run --rm busybox true`;
      (2) `docker ps -a` with N containers                         vs  `podman ps -a` with as many.
    Both use the same busybox rootfs (podman imports it; nothing is pulled), runc, and no network, on private
    stores under one temp directory that is removed at the end. Prints a markdown table with medians and
    the PSContainer/podman ratios (the goal is at most 0.5).
.EXAMPLE
    ./bench/Measure-DockerApi.ps1 -ModulePath out/PSContainer/PSContainer.psd1 -RootfsPath out/busybox-rootfs.tar.gz
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $RootfsPath,
    [ValidateRange(1, 1000)] [int] $Iterations = 15,
    [ValidateRange(0, 100)] [int] $Warmup = 3,
    [ValidateRange(1, 5000)] [int] $ListContainers = 300,
    [ValidateRange(1, 1000)] [int] $ListIterations = 10
)

$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$RootfsPath = (Resolve-Path -LiteralPath $RootfsPath).ProviderPath
if ((& id -u) -ne '0') { throw 'The benchmark needs root.' }
foreach ($tool in 'docker', 'podman', 'runc', 'conmon') {
    if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { throw "$tool is not installed." }
}


function Measure-Ms([scriptblock] $Action) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $null = & $Action
    $clock.Elapsed.TotalMilliseconds
}


$Work = Join-Path '/tmp' ('psc-apibench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $Work | Out-Null
$saved = @{}
foreach ($name in 'PSCONTAINER_ROOT', 'PSCONTAINER_RUNROOT', 'PSCONTAINER_RUNTIME', 'CONTAINERS_CONF', 'DOCKER_HOST', 'DOCKER_CONFIG') {
    $saved[$name] = [Environment]::GetEnvironmentVariable($name)
}
$podman = @('--root', "$Work/podman/root", '--runroot', "$Work/podman/run")
$podmanImage = 'localhost/busybox:bench'
# podman's default rlimits exceed what this host allows a container (as in bench/Invoke-Benchmark.ps1).
$podmanFlags = @('--network', 'none', '--runtime', 'runc', '--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=32768:32768')
try {
    $env:PSCONTAINER_ROOT = "$Work/psc/root"
    $env:PSCONTAINER_RUNROOT = "$Work/psc/run"
    $env:PSCONTAINER_RUNTIME = 'runc'
    # A private, empty client configuration: the docker CLI and podman both read it.
    $env:DOCKER_CONFIG = "$Work/docker-config"
    New-Item -ItemType Directory -Path $env:DOCKER_CONFIG | Out-Null
    Set-Content -Path "$env:DOCKER_CONFIG/config.json" -Value '{}'
    Import-Module $ModulePath -Force
    $null = Import-Image -Path $RootfsPath -Tag busybox:latest -Change 'CMD ["sh"]'
    $server = Start-ContainerApiServer -Socket "$Work/docker.sock"
    $env:DOCKER_HOST = $server.DockerHost

    New-Item -ItemType Directory -Force -Path "$Work/podman/tmp" | Out-Null
    $systemConf = @('/etc/containers/containers.conf', '/usr/share/containers/containers.conf') | Where-Object { Test-Path $_ } | Select-Object -First 1
    $conf = if ($systemConf) { Get-Content -Raw $systemConf } else { '' }
    $settings = "tmp_dir = `"$Work/podman/tmp`"`nevents_logfile_path = `"$Work/podman/tmp/events.log`"`n"
    $conf = if ($conf -match '(?m)^\[engine\][ \t]*$') { $conf -replace '(?m)^\[engine\][ \t]*$', "[engine]`n$settings" } else { $conf + "`n[engine]`n$settings" }
    Set-Content -Path "$Work/podman/containers.conf" -Value $conf
    $env:CONTAINERS_CONF = "$Work/podman/containers.conf"
    Invoke-Native podman ($podman + @('import', '--quiet', $RootfsPath, $podmanImage)) | Out-Null

    $run = @{
        docker = { Invoke-Native docker @('run', '--rm', '--network', 'none', 'busybox', 'true') }
        podman = { Invoke-Native podman ($podman + @('run', '--rm') + $podmanFlags + @($podmanImage, 'true')) }
    }
    $samples = @{ docker = [Collections.Generic.List[double]]::new(); podman = [Collections.Generic.List[double]]::new() }
    for ($i = 0; $i -lt $Warmup + $Iterations; $i++) {
        foreach ($side in 'docker', 'podman') {
            $ms = Measure-Ms $run[$side]
            if ($i -ge $Warmup) { $samples[$side].Add($ms) }
        }
    }
    if (Get-Container -All) { throw 'docker run --rm left containers behind.' }

    Write-Host "Creating $ListContainers containers on each side"
    for ($i = 0; $i -lt $ListContainers; $i++) {
        $null = Invoke-Native docker @('create', '--network', 'none', 'busybox', 'true')
        $null = Invoke-Native podman ($podman + @('create') + $podmanFlags + @($podmanImage, 'true'))
    }
    $list = @{
        docker = { $lines = Invoke-Native docker @('ps', '-a'); if (@($lines).Count -ne $ListContainers + 1) { throw "docker ps -a printed $(@($lines).Count) lines." } }
        podman = { $lines = Invoke-Native podman ($podman + @('ps', '-a')); if (@($lines).Count -ne $ListContainers + 1) { throw "podman ps -a printed $(@($lines).Count) lines." } }
    }
    $listSamples = @{ docker = [Collections.Generic.List[double]]::new(); podman = [Collections.Generic.List[double]]::new() }
    for ($i = 0; $i -lt 1 + $ListIterations; $i++) {
        foreach ($side in 'docker', 'podman') {
            $ms = Measure-Ms $list[$side]
            if ($i -ge 1) { $listSamples[$side].Add($ms) }
        }
    }

    $m = @{
        run = Get-Median $samples.docker; podmanRun = Get-Median $samples.podman
        ps = Get-Median $listSamples.docker; podmanPs = Get-Median $listSamples.podman
    }
    $lines = @(
        "Measured $(Get-Date -Format 'yyyy-MM-dd') on Linux $(& uname -r), $([Environment]::ProcessorCount) CPUs; $((Invoke-Native docker @('--version')) -join ''); $((Invoke-Native podman @('--version')) -join ''). Medians of $Iterations runs ($ListIterations for listing), interleaved after warm-up.",
        '',
        '| Operation | PSContainer API (docker CLI) ms | podman ms | ratio |',
        '|---|---:|---:|---:|',
        ('| `run --rm busybox true` | {0:0} | {1:0} | {2:0.00} |' -f $m.run, $m.podmanRun, ($m.run / $m.podmanRun)),
        ('| `ps -a`, {3} containers | {0:0} | {1:0} | {2:0.00} |' -f $m.ps, $m.podmanPs, ($m.ps / $m.podmanPs), $ListContainers)
    )
    $lines | ForEach-Object { Write-Host $_ }
}
finally {
    if (Get-Module PSContainer) {
        try { Get-Container -All | Remove-Container -Force -ErrorAction Continue } catch { Write-Warning "Removing containers: $_" }
        try { Stop-ContainerApiServer -ErrorAction Continue } catch { Write-Warning "Stopping the API server: $_" }
    }
    if ($env:CONTAINERS_CONF -eq "$Work/podman/containers.conf" -and (Test-Path "$Work/podman/root")) {
        foreach ($verb in @('rm', '--all', '--force'), @('rmi', '--all', '--force')) { & podman @podman @verb *> $null }
    }
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    Get-Content /proc/self/mountinfo | ForEach-Object { ($_ -split ' ')[4] } | Where-Object { $_.StartsWith("$Work/", [StringComparison]::Ordinal) } |
        Sort-Object Length -Descending | ForEach-Object { & umount -l $_ 2>$null }
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}
