# Pester assertions for containers: Should -BeRunning, -BeHealthy, -HaveExitCode, -ContainFile, -ListenOn,
# -RunProcess. They are registered with Pester's Add-ShouldOperator when this module is imported into a
# session that has Pester loaded (as in a test file's BeforeAll), and do nothing otherwise. After importing
# Pester into a session that already has PSContainer, import PSContainer again (-Force) to register them.
# A failure message says what was found: the state, the exit code, the file's first lines, the listening
# ports, the processes.

Set-StrictMode -Version Latest

# The cmdlets are called by their module-qualified names: this module loads before the root module's
# cmdlets exist, and runs from Pester's scope.

function Get-AssertedContainer {
    # The container an assertion is about, as it is now: from a ContainerInfo, a name or an id.
    param($ActualValue)
    $value = if ($ActualValue -is [psobject]) { $ActualValue.psobject.BaseObject } else { $ActualValue }
    if ($value -is [PSContainer.Engine.Containers.ContainerInfo]) {
        return PSContainer\Get-Container -Id $value.Id -ErrorAction Stop
    }
    if ($value -is [string] -and $value) {
        $found = @(PSContainer\Get-Container -All | Where-Object { $_.Name -eq $value -or $_.Id -eq $value -or $_.Id.StartsWith($value) })
        if ($found.Count -eq 1) { return $found[0] }
        throw "No single container is named '$value'."
    }
    throw "Expected a container (a ContainerInfo from Get-Container, New-Container or Use-Container, or a name), but got $(Format-Found $ActualValue)."
}

function Format-Found($value) {
    if ($null -eq $value) { return '$null' }
    $type = $value.GetType().Name
    "[$type] '$value'"
}

function Format-Reason([string] $Because) {
    if ($Because) { " because $($Because.TrimEnd('.'))," } else { '' }
}

function Format-State($container) {
    $state = "$($container.Status)".ToLowerInvariant()
    if ("$($container.Status)" -eq 'Exited') { $state += " with exit code $($container.ExitCode)" }
    if ($container.Error) { $state += " (error: $($container.Error))" }
    $state
}

function New-AssertionResult([bool] $Succeeded, [string] $FailureMessage) {
    [pscustomobject] @{ Succeeded = $Succeeded; FailureMessage = $(if ($Succeeded) { '' } else { $FailureMessage }) }
}

function Test-ContainerRunning($ActualValue, [switch] $Negate, [string] $Because) {
    <#
    .SYNOPSIS
    The container's process runs: $c | Should -BeRunning.
    #>
    $container = Get-AssertedContainer $ActualValue
    $running = "$($container.Status)" -eq 'Running'
    $not = if ($Negate) { 'not ' } else { '' }
    New-AssertionResult ($running -ne [bool] $Negate) "Expected container $($container.Name) ${not}to be running,$(Format-Reason $Because) but it is $(Format-State $container)."
}

function Test-ContainerHealthy($ActualValue, [switch] $Negate, [string] $Because) {
    <#
    .SYNOPSIS
    The container's healthcheck reports healthy: $c | Should -BeHealthy.
    #>
    $container = Get-AssertedContainer $ActualValue
    $health = if ($container.psobject.Properties['Health']) { $container.Health } else { $null }
    $status = if ($null -eq $health) { $null } elseif ($health.psobject.Properties['Status']) { "$($health.Status)" } else { "$health" }
    $healthy = "$($container.Status)" -eq 'Running' -and $status -eq 'Healthy'
    $found = if (-not $status) { 'has no healthcheck' } else { "is $(Format-State $container) and its health is $status" }
    $not = if ($Negate) { 'not ' } else { '' }
    New-AssertionResult ($healthy -ne [bool] $Negate) "Expected container $($container.Name) ${not}to be healthy,$(Format-Reason $Because) but it $found."
}

function Test-ExitCode($ActualValue, $ExpectedValue, [switch] $Negate, [string] $Because) {
    <#
    .SYNOPSIS
    A run ended with the exit code: Invoke-ContainerCommand -PassThru results, exited containers, numbers.
    #>
    $value = if ($ActualValue -is [psobject]) { $ActualValue.psobject.BaseObject } else { $ActualValue }
    $detail = ''
    switch ($value) {
        { $_ -is [PSContainer.Engine.Containers.ContainerCommandResult] } {
            $code = $value.ExitCode; $what = "'$($value.Command -join ' ')' in container $($value.Container)"
            $lines = @($value.Error) + @($value.Output) | Select-Object -First 5
            if ($lines) { $detail = " Its output began:`n  " + ($lines -join "`n  ") }
            break
        }
        { $_ -is [PSContainer.Engine.Containers.ContainerInfo] -or $_ -is [string] } {
            $container = Get-AssertedContainer $value
            $code = if ("$($container.Status)" -eq 'Exited') { $container.ExitCode } else { $null }
            $what = "container $($container.Name)"
            if ($null -eq $code) { $detail = " It is $(Format-State $container)." }
            break
        }
        { $_ -is [int] -or $_ -is [long] } { $code = [int] $value; $what = 'the process'; break }
        default { throw "Expected an Invoke-ContainerCommand -PassThru result, a container or an exit code, but got $(Format-Found $ActualValue)." }
    }
    $matched = $null -ne $code -and $code -eq [int] $ExpectedValue
    $found = if ($null -eq $code) { 'has not exited' } else { "exited with code $code" }
    $not = if ($Negate) { 'not ' } else { '' }
    New-AssertionResult ($matched -ne [bool] $Negate) "Expected $what ${not}to exit with code $ExpectedValue,$(Format-Reason $Because) but it $found.$detail"
}

function Test-ContainerFile($ActualValue, $ExpectedValue, $WithContent, [switch] $Negate, [string] $Because) {
    <#
    .SYNOPSIS
    The container has the file (running or not), optionally with a line matching -WithContent (a regex).
    #>
    $container = Get-AssertedContainer $ActualValue
    $path = [string] $ExpectedValue
    if (-not $path.StartsWith('/')) { throw "Should -ContainFile takes an absolute path in the container, not '$path'." }
    $work = Join-Path ([IO.Path]::GetTempPath()) ('psc-assert-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        $copyError = $null
        PSContainer\Copy-ContainerItem -Container $container.Id -Path $path -Destination $work -FollowSymlink -ErrorAction SilentlyContinue -ErrorVariable copyError
        $copied = Join-Path $work (Split-Path $path -Leaf)
        $exists = -not $copyError -and (Test-Path -LiteralPath $copied -PathType Leaf)
        $not = if ($Negate) { 'not ' } else { '' }
        if ($null -eq $WithContent) {
            $found = if ($exists) { 'it exists' } elseif (Test-Path -LiteralPath $copied -PathType Container) { 'it is a directory' } else { 'it does not exist' }
            return New-AssertionResult ($exists -ne [bool] $Negate) "Expected container $($container.Name) ${not}to contain file ${path},$(Format-Reason $Because) but $found."
        }
        if (-not $exists) {
            return New-AssertionResult ([bool] $Negate) "Expected container $($container.Name) to contain file $path with content matching '$WithContent',$(Format-Reason $Because) but the file does not exist."
        }
        $lines = @(Get-Content -LiteralPath $copied)
        $matched = @($lines | Where-Object { $_ -match $WithContent }).Count -gt 0
        $first = if ($lines.Count -eq 0) { 'it is empty' } else { "its first lines are:`n  " + (($lines | Select-Object -First 5) -join "`n  ") }
        New-AssertionResult ($matched -ne [bool] $Negate) "Expected file $path in container $($container.Name) ${not}to have a line matching '$WithContent',$(Format-Reason $Because) but $first"
    } finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
    }
}

function Test-ContainerListening($ActualValue, $ExpectedValue, [switch] $Negate, [string] $Because) {
    <#
    .SYNOPSIS
    Something listens on the TCP port inside the container's network namespace.
    #>
    $container = Get-AssertedContainer $ActualValue
    $port = [int] $ExpectedValue
    $not = if ($Negate) { 'not ' } else { '' }
    if ("$($container.Status)" -notin 'Running', 'Paused') {
        return New-AssertionResult ([bool] $Negate) "Expected container $($container.Name) to listen on port $port,$(Format-Reason $Because) but it is $(Format-State $container)."
    }
    $sockets = @(PSContainer\Get-ContainerProcess -Id $container.Id -Listening -ErrorAction Stop | Where-Object Protocol -eq 'tcp')
    $listening = @($sockets | Where-Object Port -eq $port).Count -gt 0
    $found = if ($sockets.Count -eq 0) { 'nothing listens on TCP' } else {
        'it listens on ' + (($sockets | Sort-Object Port -Unique | ForEach-Object { "$($_.Port)/tcp" + $(if ($_.ProcessName) { " ($($_.ProcessName))" }) }) -join ', ')
    }
    New-AssertionResult ($listening -ne [bool] $Negate) "Expected container $($container.Name) ${not}to listen on TCP port $port,$(Format-Reason $Because) but $found."
}

function Test-ContainerProcess($ActualValue, $ExpectedValue, [switch] $Negate, [string] $Because) {
    <#
    .SYNOPSIS
    A process of that name (wildcards allowed) runs in the container.
    #>
    $container = Get-AssertedContainer $ActualValue
    $name = [string] $ExpectedValue
    $not = if ($Negate) { 'not ' } else { '' }
    if ("$($container.Status)" -notin 'Running', 'Paused') {
        return New-AssertionResult ([bool] $Negate) "Expected container $($container.Name) to run process '$name',$(Format-Reason $Because) but it is $(Format-State $container)."
    }
    $processes = @(PSContainer\Get-ContainerProcess -Id $container.Id -ErrorAction Stop)
    $running = @($processes | Where-Object { $_.Name -like $name -or (Split-Path ($_.CommandLine -split ' ')[0] -Leaf) -like $name }).Count -gt 0
    $found = 'its processes are: ' + (($processes | ForEach-Object { "$($_.CommandLine) (pid $($_.ContainerPid))" }) -join ', ')
    New-AssertionResult ($running -ne [bool] $Negate) "Expected container $($container.Name) ${not}to run process '$name',$(Format-Reason $Because) but $found."
}

$operators = [ordered] @{
    BeRunning   = ${function:Test-ContainerRunning}
    BeHealthy   = ${function:Test-ContainerHealthy}
    HaveExitCode = ${function:Test-ExitCode}
    ContainFile = ${function:Test-ContainerFile}
    ListenOn    = ${function:Test-ContainerListening}
    RunProcess  = ${function:Test-ContainerProcess}
}

if (Get-Command Add-ShouldOperator -ErrorAction Ignore) {
    foreach ($operator in $operators.GetEnumerator()) {
        try {
            # Registering the same operator again (a module imported twice) is a no-op for Pester.
            Add-ShouldOperator -Name $operator.Key -Test $operator.Value
        } catch {
            Write-Warning "PSContainer could not register Should -$($operator.Key): $($_.Exception.Message)"
        }
    }
}

Export-ModuleMember -Function @()
