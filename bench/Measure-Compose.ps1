#Requires -Version 7.6
<#
.SYNOPSIS
    Times compose up and down of a five-service project: PSContainer beside Debian's podman-compose.
.DESCRIPTION
    One compose file, read by both tools: five busybox services (a web server with a port published on
    127.0.0.1, an API on two networks, a database with a named volume, a cache and a worker), depends_on
    between them, two networks and a volume. Each round, interleaved so host noise falls on both alike:
      psc up        Start-ComposeProject                    (in this pwsh session)
      psc down      Remove-ComposeProject -Volumes
      podman up     podman-compose up -d                    (podman with runc, private store)
      podman down   podman-compose down -v
    Every service's shell ends on SIGTERM, so stopping measures the tools, not a stop timeout. Both use runc, private stores under one temp directory and the same busybox rootfs (podman's image comes
    from podman load of an Export-Image archive). Medians and the ratio PSContainer / podman-compose go to the
    host as markdown and to -OutFile. Everything the run creates is removed at the end, also on failure.
    Nothing is pulled and no traffic leaves the host. Needs root, podman, podman-compose, runc and conmon.
.EXAMPLE
    ./bench/Measure-Compose.ps1 -ModulePath out/PSContainer/PSContainer.psd1 -RootfsPath out/busybox-rootfs.tar.gz
#>
[CmdletBinding()]
param(
    # The staged module manifest (out/PSContainer/PSContainer.psd1).
    [Parameter(Mandatory)]
    [string] $ModulePath,
    # A busybox rootfs .tar.gz (build.ps1 makes it with New-BusyboxRootfs).
    [Parameter(Mandatory)]
    [string] $RootfsPath,
    # Timed rounds, after the warm-up rounds.
    [ValidateRange(1, 1000)]
    [int] $Iterations = 5,
    [ValidateRange(0, 100)]
    [int] $Warmup = 1,
    # Where the markdown table is written.
    [string] $OutFile = (Join-Path $PSScriptRoot '../out/bench-compose.md')
)

$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$RootfsPath = (Resolve-Path -LiteralPath $RootfsPath).ProviderPath
$OutFile = [IO.Path]::GetFullPath($OutFile)
$Image = 'localhost/busybox:composebench'
$Project = 'cbench'



function Measure-Milliseconds([scriptblock] $Action) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Action | Out-Null
    $watch.Stop()
    return $watch.Elapsed.TotalMilliseconds
}

if ((& id -u) -ne '0') { throw 'The benchmark needs root.' }
foreach ($tool in 'podman', 'podman-compose', 'runc', 'conmon') {
    if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { throw "$tool is not installed." }
}

# Short paths: conmon's socket paths must stay under the sun_path limit.
$Work = Join-Path '/tmp' ('psc-cbench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
$App = Join-Path $Work $Project
New-Item -ItemType Directory -Path $App -Force | Out-Null
$savedEnv = @{}
foreach ($name in 'PSCONTAINER_ROOT', 'PSCONTAINER_RUNROOT', 'PSCONTAINER_RUNTIME', 'CONTAINERS_CONF') {
    $savedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
}
$podmanArgs = "--root $Work/podman/root --runroot $Work/podman/run --runtime runc"
$composeFile = Join-Path $App 'compose.yaml'
$port = Get-Random -Minimum 20000 -Maximum 40000

try {
    Set-Content -LiteralPath $composeFile -Value @"
services:
  db:
    image: $Image
    command: sh -c 'trap "exit 0" TERM; echo ok > /data/index.html; httpd -f -p 80 -h /data & wait'
    volumes: [data:/data]
    networks: [back]
  cache:
    image: $Image
    command: sh -c 'trap "exit 0" TERM; sleep 3600 & wait'
    networks: [back]
  api:
    image: $Image
    command: sh -c 'trap "exit 0" TERM; sleep 3600 & wait'
    networks: [front, back]
    depends_on: [db, cache]
  web:
    image: $Image
    command: sh -c 'trap "exit 0" TERM; httpd -f -p 8080 & wait'
    ports: ["127.0.0.1:$($port):8080"]
    networks: [front]
    depends_on: [api]
  worker:
    image: $Image
    command: sh -c 'trap "exit 0" TERM; sleep 3600 & wait'
    networks: [back]
    depends_on: [api]
networks:
  front: {}
  back: {}
volumes:
  data: {}
"@

    # PSContainer: a private store, runc as podman uses.
    $env:PSCONTAINER_ROOT = "$Work/psc/root"
    $env:PSCONTAINER_RUNROOT = "$Work/psc/run"
    $env:PSCONTAINER_RUNTIME = 'runc'
    Import-Module $ModulePath -Force
    $engine = Get-ContainerEngine
    if ($engine.Root -ne $env:PSCONTAINER_ROOT) { throw "PSContainer uses store $($engine.Root), not the private one." }
    Import-Image -Path $RootfsPath -Tag $Image | Out-Null
    $archive = Join-Path $Work 'busybox.tar'
    Export-Image $Image -Path $archive | Out-Null

    # podman: a private store, tmp dir and events log; the image loaded from PSContainer's archive.
    New-Item -ItemType Directory -Force -Path "$Work/podman/tmp" | Out-Null
    Set-Content -Path "$Work/podman/containers.conf" -Value "[engine]`ntmp_dir = `"$Work/podman/tmp`"`nevents_logfile_path = `"$Work/podman/tmp/events.log`"`n"
    $env:CONTAINERS_CONF = "$Work/podman/containers.conf"
    Invoke-Native podman (($podmanArgs -split ' ') + @('load', '--quiet', '-i', $archive)) | Out-Null
    $podmanCompose = @('--podman-args', $podmanArgs, '-f', $composeFile, '-p', $Project)
    $composeVersion = (Invoke-Native podman-compose @('--version')) | Where-Object { $_ -match 'podman-compose' } | Select-Object -First 1
    Write-Host "PSContainer with $($engine.Runtime) beside $composeVersion"

    $times = @{ 'psc up' = @(); 'psc down' = @(); 'podman up' = @(); 'podman down' = @() }
    for ($round = 0; $round -lt $Warmup + $Iterations; $round++) {
        $pscUp = Measure-Milliseconds { Start-ComposeProject -Path $composeFile -ProjectName $Project }
        $running = @(Get-Container -Label "com.docker.compose.project=$Project").Count
        if ($running -ne 5) { throw "PSContainer runs $running containers of the project, not 5." }
        $pscDown = Measure-Milliseconds { Remove-ComposeProject -Path $composeFile -ProjectName $Project -Volumes }
        $podUp = Measure-Milliseconds { Invoke-Native podman-compose ($podmanCompose + @('up', '-d')) }
        $podDown = Measure-Milliseconds { Invoke-Native podman-compose ($podmanCompose + @('down', '-v')) }
        if ($round -lt $Warmup) { continue }
        $times['psc up'] += $pscUp; $times['psc down'] += $pscDown
        $times['podman up'] += $podUp; $times['podman down'] += $podDown
        Write-Host ('round {0}: psc up {1:N0} ms, down {2:N0} ms; podman-compose up {3:N0} ms, down {4:N0} ms' -f ($round - $Warmup + 1), $pscUp, $pscDown, $podUp, $podDown)
    }

    $lines = @(
        "Compose, 5 services, median of $Iterations rounds ($Warmup warm-up)", '',
        '| operation | PSContainer ms | podman-compose ms | ratio |', '|---|---:|---:|---:|')
    foreach ($op in 'up', 'down') {
        $psc = Get-Median $times["psc $op"]
        $pod = Get-Median $times["podman $op"]
        $lines += '| {0} | {1:N0} | {2:N0} | {3:N2}x |' -f $op, $psc, $pod, ($psc / $pod)
    }
    $lines | Out-Host
    New-Item -ItemType Directory -Force -Path (Split-Path $OutFile) | Out-Null
    Set-Content -LiteralPath $OutFile -Value $lines
}
finally {
    if (Get-Command Remove-ComposeProject -ErrorAction Ignore) {
        Remove-ComposeProject -Name $Project -Volumes -ErrorAction Continue
        Get-Network -ErrorAction Continue | Where-Object { -not $_.IsDefault } | Remove-Network -ErrorAction Continue
    }
    & podman-compose @podmanCompose down -v *> $null
    & podman @($podmanArgs -split ' ') system reset --force *> $null
    foreach ($mount in (Get-Content /proc/mounts | ForEach-Object { ($_ -split ' ')[1] } | Where-Object { $_.StartsWith($Work + '/') } | Sort-Object Length -Descending)) {
        & umount -l $mount 2>$null
    }
    Remove-Item -Recurse -Force -LiteralPath $Work -ErrorAction Continue
    foreach ($name in $savedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnv[$name]) }
}
