#Requires -Version 7.6
# The Docker Engine API (Start-ContainerApiServer): the real docker CLI, docker-compose and curl drive a
# server over this file's own store, and the cmdlets see the same containers. Registry traffic goes to a
# docker-registry this file starts on 127.0.0.1.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    foreach ($tool in '/usr/bin/docker-compose', '/usr/bin/docker-registry', '/usr/bin/tmux', '/usr/bin/curl', '/usr/bin/setpriv') {
        if (-not (Test-Path -LiteralPath $tool -PathType Leaf)) { throw "Prerequisite $tool is missing (build.ps1 Bootstrap installs it)." }
    }
    # The docker CLI (client only) is not a Debian package here: it is found on PATH.
    $script:Docker = (Get-Command docker -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $script:Docker) { throw 'Prerequisite docker (the Docker CLI, client only) is not on PATH.' }
    $script:Root = Initialize-TestStore
    $script:Work = Join-Path $script:Root 'work'
    New-Item -ItemType Directory -Path $script:Work | Out-Null
    $env:DOCKER_CONFIG = Join-Path $script:Work 'docker-config'
    $script:Server = Start-ContainerApiServer -ErrorAction Stop
    $script:Socket = $script:Server.Socket
    $env:DOCKER_HOST = $script:Server.DockerHost
    # docker-compose 1.29 speaks through docker-py, which reads the same variable.
    $env:COMPOSE_INTERACTIVE_NO_CLI = '1'

    function Invoke-Docker {
        # The docker CLI, failing the test on a non-zero exit; stderr folded into the output.
        $output = & $script:Docker @args 2>&1 | ForEach-Object { "$_" }
        if ($LASTEXITCODE -ne 0) { throw "docker $($args -join ' ') exited $LASTEXITCODE`: $($output -join "`n")" }
        $output
    }

    function Invoke-Api {
        # curl on the socket: returns the status code and the body.
        param([string] $Method = 'GET', [string] $Path, [string] $Body, [string] $BodyFile, [string] $ContentType = 'application/json', [string] $Socket = $script:Socket, [string[]] $Prefix = @())
        # The body on stdout, then the status on a line of its own (curl may run as another user: no files).
        $arguments = @('-s', '-w', '\n%{http_code}', '--unix-socket', $Socket, '-X', $Method, '-H', "Content-Type: $ContentType")
        if ($Body) { $arguments += @('--data-binary', $Body) }
        if ($BodyFile) { $arguments += @('--data-binary', "@$BodyFile") }
        $command = @($Prefix) + '/usr/bin/curl' + $arguments + "http://docker$Path"
        $lines = @(& $command[0] $command[1..($command.Count - 1)])
        [pscustomobject]@{ Status = [int] $lines[-1]; Body = ($lines | Select-Object -SkipLast 1) -join "`n" }
    }
}

AfterAll {
    if (Get-Command Stop-ContainerApiServer -ErrorAction Ignore) { Stop-ContainerApiServer -Confirm:$false -ErrorAction Continue }
    Remove-Item Env:DOCKER_HOST, Env:DOCKER_CONFIG -ErrorAction Ignore
    if ($script:Root) { Remove-TestStore -Root $script:Root }
}

Describe 'Start-ContainerApiServer' {
    It 'runs in the background on a root-only socket and is listed by Get-ContainerApiServer' {
        $script:Server.Pid | Should -BeGreaterThan 0
        (Get-ContainerApiServer).Pid | Should -Be $script:Server.Pid
        $mode = (& stat -c '%a %U' $script:Socket)
        $mode | Should -Be '660 root'
    }

    It 'negotiates the API version as dockerd does' {
        (Invoke-Docker version --format '{{.Server.APIVersion}}') | Should -Be '1.50'
        $ping = & /usr/bin/curl -s -I --unix-socket $script:Socket http://docker/_ping
        ($ping -join "`n") | Should -Match 'Api-Version: 1.50'
        (Invoke-Api -Path '/v1.41/containers/json').Status | Should -Be 200
        $tooNew = Invoke-Api -Path '/v1.99/containers/json'
        $tooNew.Status | Should -Be 400
        $tooNew.Body | Should -Match 'too new'
    }

    It 'stops and restarts on request' {
        Stop-ContainerApiServer -Confirm:$false
        Get-ContainerApiServer | Should -BeNullOrEmpty
        Test-Path $script:Socket | Should -BeFalse
        $script:Server = Start-ContainerApiServer -IdleTimeout (New-TimeSpan -Minutes 30)
        $script:Server.Socket | Should -Be $script:Socket
    }
}

Describe 'docker CLI' {
    It 'runs a container in the foreground with its output and exit code' {
        $output = & $script:Docker run --rm busybox sh -c 'echo to-stdout; echo to-stderr >&2; exit 3' 2>&1 | ForEach-Object { "$_" }
        $LASTEXITCODE | Should -Be 3
        $output | Should -Contain 'to-stdout'
        $output | Should -Contain 'to-stderr'
        Get-Container -All | Should -BeNullOrEmpty
    }

    It 'feeds stdin with run -i' {
        $output = 'line one', 'line two' | & $script:Docker run -i --rm busybox sh -c 'cat; echo done'
        $LASTEXITCODE | Should -Be 0
        $output | Should -Be @('line one', 'line two', 'done')
    }

    It 'publishes a port with run -d -p on 127.0.0.1, and the cmdlets see the container' {
        $id = Invoke-Docker run -d --name web -p 127.0.0.1::80 -l tier=front busybox httpd -f -p 80 -h /etc
        $container = Get-Container web
        $container.Id | Should -Be $id
        $port = (Invoke-Docker port web 80/tcp) -replace '^.*:', ''
        Wait-Condition { (& /usr/bin/curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/hostname") -eq '200' } -TimeoutSeconds 20
        (Invoke-Docker ps --filter label=tier=front --format '{{.Names}} {{.Status}}') | Should -Match '^web Up'
        (Invoke-Docker inspect -f '{{.State.Running}} {{.Config.Labels.tier}}' web) | Should -Be 'true front'
    }

    It 'shows containers the cmdlets made' {
        $null = New-Container busybox -Name made-by-cmdlet -Command true
        (Invoke-Docker ps -a --format '{{.Names}}') | Should -Contain 'made-by-cmdlet'
        Invoke-Docker rm made-by-cmdlet | Out-Null
        Get-Container made-by-cmdlet -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'runs commands with exec, exit codes included' {
        (Invoke-Docker exec web sh -c 'echo $((6*7))') | Should -Be '42'
        'from-stdin' | & $script:Docker exec -i web cat | Should -Be 'from-stdin'
        & $script:Docker exec web sh -c 'exit 5'
        $LASTEXITCODE | Should -Be 5
        & $script:Docker exec web no-such-program 2>$null
        $LASTEXITCODE | Should -Be 127
    }

    It 'follows logs with logs -f until the container exits' {
        $null = Invoke-Docker run -d --name talker busybox sh -c 'for i in 1 2 3; do echo line $i; sleep 0.3; done'
        $lines = Invoke-Docker logs -f talker
        $lines | Should -Be @('line 1', 'line 2', 'line 3')
        (Invoke-Docker logs --tail 1 talker) | Should -Be 'line 3'
        (Invoke-Docker logs -t talker)[0] | Should -Match '^\d{4}-\d\d-\d\dT[\d:.]+Z line 1$'
    }

    It 'copies files in and out with cp' {
        $file = Join-Path $script:Work 'in.txt'
        Set-Content -LiteralPath $file -Value 'copied in' -NoNewline
        Invoke-Docker cp $file web:/tmp/in.txt | Out-Null
        (Invoke-Docker exec web cat /tmp/in.txt) | Should -Be 'copied in'
        $dir = Join-Path $script:Work 'out'
        New-Item -ItemType Directory -Path $dir | Out-Null
        Invoke-Docker cp web:/etc/passwd $dir | Out-Null
        Get-Content -LiteralPath (Join-Path $dir 'passwd') | Should -Contain 'root:x:0:0:root:/root:/bin/sh'
    }

    It 'gives an interactive shell with exec -it under a terminal' {
        $tmux = 'psc-api-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $log = Join-Path $script:Work 'tty.log'
        try {
            & tmux -L $tmux new-session -d -s t -x 100 -y 30 "env DOCKER_HOST=$env:DOCKER_HOST $script:Docker exec -it web sh; echo exited=`$? > $log; sleep 30"
            Start-Sleep -Milliseconds 500
            & tmux -L $tmux send-keys -t t 'tty; echo cols=$(stty size)' Enter
            Wait-Condition { (& tmux -L $tmux capture-pane -p -t t) -match 'cols=30 100' } -TimeoutSeconds 20
            (& tmux -L $tmux capture-pane -p -t t) -join "`n" | Should -Match '/dev/pts/'
            & tmux -L $tmux send-keys -t t 'exit 7' Enter
            Wait-Condition { Test-Path $log } -TimeoutSeconds 20
            Get-Content $log | Should -Be 'exited=7'
        } finally {
            & tmux -L $tmux kill-server 2>$null
        }
    }

    It 'stops and removes containers' {
        Invoke-Docker stop -t 1 web | Out-Null
        (Get-Container web).Status | Should -Be 'Exited'
        Invoke-Docker rm web talker | Out-Null
        Get-Container -All | Should -BeNullOrEmpty
    }

    It 'manages volumes and networks' {
        Invoke-Docker volume create data | Out-Null
        (Get-Volume data).Name | Should -Be 'data'
        Invoke-Docker network create backend | Out-Null
        (Invoke-Docker network ls --format '{{.Name}}') | Should -Contain 'backend'
        $out = Invoke-Docker run --rm --network backend -v data:/data busybox sh -c 'echo kept > /data/f; cat /data/f'
        $out | Should -Be 'kept'
        (Invoke-Docker run --rm -v data:/data busybox cat /data/f) | Should -Be 'kept'
        (Invoke-Docker volume inspect -f '{{.Name}} {{.Driver}}' data) | Should -Be 'data local'
        Invoke-Docker network rm backend | Out-Null
        Invoke-Docker volume rm data | Out-Null
        Get-Volume | Should -BeNullOrEmpty
    }

    It 'lists, tags and removes images, and pushes and pulls them through docker-registry' {
        (Invoke-Docker images --format '{{.Repository}}:{{.Tag}}') | Should -Contain 'busybox:latest'
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $dir = Join-Path $script:Work 'registry'
        New-Item -ItemType Directory -Path $dir | Out-Null
        Set-Content "$dir/config.yml" "version: 0.1`nlog:`n  level: warn`nstorage:`n  filesystem:`n    rootdirectory: $dir/storage`nhttp:`n  addr: 127.0.0.1:$port`n"
        $registry = Start-Process /usr/bin/docker-registry -ArgumentList 'serve', "$dir/config.yml" -PassThru -RedirectStandardOutput "$dir/out.log" -RedirectStandardError "$dir/err.log"
        try {
            Wait-Condition { (& /usr/bin/curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/") -eq '200' } -TimeoutSeconds 20
            Invoke-Docker tag busybox "127.0.0.1:$port/tools/busybox:1" | Out-Null
            $push = Invoke-Docker push "127.0.0.1:$port/tools/busybox:1"
            ($push -join "`n") | Should -Match 'digest: sha256:[0-9a-f]{64}'
            Invoke-Docker rmi "127.0.0.1:$port/tools/busybox:1" | Out-Null
            (Invoke-Docker images --format '{{.Repository}}:{{.Tag}}') | Should -Not -Contain "127.0.0.1:$port/tools/busybox:1"
            $pull = Invoke-Docker pull "127.0.0.1:$port/tools/busybox:1"
            ($pull -join "`n") | Should -Match 'Status: Downloaded'
            (Get-Image "127.0.0.1:$port/tools/busybox:1").Id | Should -Be (Get-Image busybox).Id
        } finally {
            $registry.Kill($true)
        }
    }

    It 'reports version and info' {
        (Invoke-Docker info --format '{{.Driver}} {{.OSType}}') | Should -Be 'overlay linux'
        (Invoke-Docker system df --format '{{.Type}}') | Should -Contain 'Images'
    }
}

Describe 'docker-compose' {
    It 'brings a two-service project up, lists it, shows its logs and takes it down' {
        $project = Join-Path $script:Work 'shop'
        New-Item -ItemType Directory -Path $project | Out-Null
        Set-Content (Join-Path $project 'docker-compose.yml') @'
version: "3.7"
services:
  web:
    image: busybox:latest
    command: ["sh", "-c", "echo web ready; exec httpd -f -p 80 -h /etc"]
    stop_grace_period: 1s
    ports:
      - "127.0.0.1::80"
  worker:
    image: busybox:latest
    command: ["sh", "-c", "echo worker ready; while true; do sleep 1; done"]
    stop_grace_period: 1s
'@
        Push-Location $project
        try {
            & /usr/bin/docker-compose -p shop up -d 2>&1 | Out-Null
            $LASTEXITCODE | Should -Be 0
            (Get-Container -All | Where-Object { $_.Labels['com.docker.compose.project'] -eq 'shop' }).Count | Should -Be 2
            $ps = & /usr/bin/docker-compose -p shop ps 2>&1
            ($ps -join "`n") | Should -Match 'shop_web_1\s.*Up'
            ($ps -join "`n") | Should -Match 'shop_worker_1\s.*Up'
            Wait-Condition { ((& /usr/bin/docker-compose -p shop logs --no-color 2>&1) -join "`n") -match 'worker ready' } -TimeoutSeconds 20
            ((& /usr/bin/docker-compose -p shop logs --no-color 2>&1) -join "`n") | Should -Match 'web ready'
            & /usr/bin/docker-compose -p shop down 2>&1 | Out-Null
            $LASTEXITCODE | Should -Be 0
            Get-Container -All | Should -BeNullOrEmpty
            (Get-Network).Name | Should -Not -Contain 'shop_default'
        } finally {
            Pop-Location
        }
    }
}

Describe 'Testcontainers for .NET' {
    It 'starts a container with a port binding and an HTTP wait strategy, execs, copies in and out, and disposes it' {
        $env:TESTCONTAINERS_RYUK_DISABLED = 'true'
        try {
            $project = Join-Path $PSScriptRoot '../DockerApi/PSContainer.DockerApi.Tests.csproj'
            $output = & dotnet test $project -c Release --nologo 2>&1 | ForEach-Object { "$_" }
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            ($output -join "`n") | Should -Match 'Passed!.*Passed:\s+1'
        } finally {
            Remove-Item Env:TESTCONTAINERS_RYUK_DISABLED -ErrorAction Ignore
        }
        Get-Container -All | Should -BeNullOrEmpty
    }
}

Describe 'API security' {
    It 'refuses a peer that is not root even when the socket file lets it in' {
        # A second server on a socket others can reach, opened up on purpose: the peer check still refuses.
        $open = Join-Path $script:Work 'open'
        New-Item -ItemType Directory -Path $open | Out-Null
        & chmod 755 $script:Root $script:Work $open
        $second = Start-ContainerApiServer -Socket (Join-Path $open 'docker.sock')
        try {
            & chmod 666 $second.Socket
            $asNobody = @('/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups')
            $refused = Invoke-Api -Path '/_ping' -Socket $second.Socket -Prefix $asNobody
            $refused.Status | Should -Be 403
            $refused.Body | Should -Match 'permission denied'
            (Invoke-Api -Path '/_ping' -Socket $second.Socket).Body | Should -Be 'OK'
        } finally {
            Stop-ContainerApiServer -Socket $second.Socket -Confirm:$false
        }
    }

    It 'answers malformed JSON with 400 and keeps serving' {
        $bad = Invoke-Api -Method POST -Path '/containers/create' -Body '{"Image": "busybox", '
        $bad.Status | Should -Be 400
        ($bad.Body | ConvertFrom-Json).message | Should -Match 'invalid JSON'
        (Invoke-Api -Path '/_ping').Body | Should -Be 'OK'
    }

    It 'refuses HostConfig fields it does not support, by name' {
        $refused = Invoke-Api -Method POST -Path '/containers/create' -Body '{"Image":"busybox","HostConfig":{"Devices":[{"PathOnHost":"/dev/kmsg"}]}}'
        $refused.Status | Should -Be 400
        ($refused.Body | ConvertFrom-Json).message | Should -Match 'HostConfig.Devices is not supported'
    }

    It 'caps the size of a request body' {
        $file = Join-Path $script:Work 'big.json'
        [IO.File]::WriteAllText($file, '{"Image":"busybox","Env":["X=' + ('x' * 5MB) + '"]}')
        (Invoke-Api -Method POST -Path '/containers/create' -BodyFile $file).Status | Should -Be 413
    }

    It 'keeps archive paths inside the container' {
        $id = Invoke-Docker create --name box busybox true
        # A path climbing out of the root stays at the container's root.
        $out = Join-Path $script:Work 'escape'
        New-Item -ItemType Directory -Path $out | Out-Null
        Invoke-Docker cp 'box:/../../../../etc/passwd' $out | Out-Null
        Get-Content (Join-Path $out 'passwd') | Should -Contain 'www:x:1000:1000:www:/var/www:/bin/sh'
        # A tar entry climbing out of the destination is refused, and nothing lands outside.
        $tar = Join-Path $script:Work 'evil.tar'
        & python3 -c "import tarfile,io; t=tarfile.open('$tar','w'); d=b'pwned'; i=tarfile.TarInfo('../../../../../../tmp/psc-api-escape'); i.size=len(d); t.addfile(i, io.BytesIO(d)); t.close()"
        $put = Invoke-Api -Method PUT -Path "/containers/$id/archive?path=/tmp" -BodyFile $tar -ContentType 'application/x-tar'
        $put.Status | Should -Be 400
        Test-Path /tmp/psc-api-escape | Should -BeFalse
        Invoke-Docker rm box | Out-Null
    }
}
