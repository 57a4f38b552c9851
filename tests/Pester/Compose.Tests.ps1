#Requires -Version 7.6
# Compose end to end: a three-service application (a built service, a named volume, two networks one of them internal, a port
# published on 127.0.0.1, a healthcheck another service waits on with service_healthy, services reaching each other by name and alias) brought up, re-upped unchanged
# (nothing recreated), changed through an override file (only that service recreated) and taken down with its
# volumes (nothing left). Traffic goes only to 127.0.0.1 and to the containers started here.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:StartDirectory = [Environment]::CurrentDirectory
    $script:Root = Initialize-TestStore
    $script:App = (New-Item -ItemType Directory -Path (Join-Path $script:Root 'Shop App')).FullName
    $script:Port = Get-Random -Minimum 20000 -Maximum 40000
    Set-Content -LiteralPath (Join-Path $script:App 'compose.yaml') -Value @"
name: shop
x-busybox: &busybox
  image: busybox:latest
  stop_grace_period: 1s
services:
  db:
    <<: *busybox
    command: sh -c 'echo db-ok > /data/index.html && exec httpd -f -p 80 -h /data'
    volumes:
      - data:/data
    networks:
      back:
        aliases: [database]
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://127.0.0.1/"]
      interval: 1s
      retries: 30
  web:
    <<: *busybox
    command: ["sh", "-c", "echo web-ok > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
    ports:
      - "127.0.0.1:$($script:Port):8080"
    networks: [front, back]
    depends_on:
      db:
        condition: service_healthy
  worker:
    build:
      context: ./worker
      args:
        GREETING: built
    image: shop-worker:latest
    stop_grace_period: 1s
    command: sleep 3600
    environment:
      - MODE=`${WORKER_MODE:-first}
    networks: [back]
    cap_drop: [ALL]
    depends_on: [db]
networks:
  front: {}
  back:
    internal: true
volumes:
  data: {}
"@
    New-Item -ItemType Directory -Path (Join-Path $script:App 'worker') | Out-Null
    Set-Content -LiteralPath (Join-Path $script:App 'worker/Dockerfile') -Value "FROM busybox:latest`nARG GREETING`nRUN echo `$GREETING > /greeting`n"
    function Get-ShopContainer {
        Get-Container -All -Label com.docker.compose.project=shop | Sort-Object Name
    }
}

AfterAll {
    if (Get-Command Remove-ComposeProject -ErrorAction Ignore) {
        Remove-ComposeProject -Name shop -Volumes -Confirm:$false -ErrorAction Continue
    }
    Remove-TestStore -Root $script:Root
    [Environment]::CurrentDirectory = $script:StartDirectory
}

Describe 'Compose project life cycle' {
    It 'brings the application up with Compose names and labels' {
        $project = Start-ComposeProject -Path $script:App
        $project.Name | Should -Be 'shop'
        $project.Services.Name | Should -Be @('db', 'web', 'worker')
        $containers = Get-ShopContainer
        $containers.Name | Should -Be @('shop-db-1', 'shop-web-1', 'shop-worker-1')
        $containers.Status | Sort-Object -Unique | Should -Be 'Running'
        $web = $containers | Where-Object Name -EQ 'shop-web-1'
        $web.Labels['com.docker.compose.service'] | Should -Be 'web'
        $web.Labels['com.docker.compose.container-number'] | Should -Be '1'
        $web.Labels['com.docker.compose.oneoff'] | Should -Be 'False'
        $web.Labels['com.docker.compose.project.working_dir'] | Should -Be $script:App
        $web.Labels['com.docker.compose.project.config_files'] | Should -Be (Join-Path $script:App 'compose.yaml')
        $web.Labels['com.docker.compose.config-hash'] | Should -Match '^[0-9a-f]{64}$'
        (Get-Network shop_back).Internal | Should -BeTrue
        (Get-Network shop_front).Internal | Should -BeFalse
        (Get-Volume shop_data).Labels['com.docker.compose.volume'] | Should -Be 'data'
        (Get-Container shop-db-1).Health | Should -Be 'healthy'
        Invoke-ContainerCommand shop-worker-1 -- grep CapEff /proc/1/status | Should -Match '^CapEff:\s+0+$'
    }

    It 'built the worker image from its Dockerfile with the build arguments' {
        Invoke-ContainerCommand shop-worker-1 -- cat /greeting | Should -Be 'built'
        (Get-Container shop-worker-1).Image | Should -Be 'shop-worker:latest'
    }

    It 'publishes the port on 127.0.0.1 and lets services reach each other by name and alias' {
        (Invoke-WebRequest "http://127.0.0.1:$($script:Port)/" -TimeoutSec 10).Content.Trim() | Should -Be 'web-ok'
        Invoke-ContainerCommand shop-web-1 -- wget -qO- http://db/ | Should -Be 'db-ok'
        Invoke-ContainerCommand shop-worker-1 -- wget -qO- http://database/ | Should -Be 'db-ok'
    }

    It 'lists the project and pipes it into the container cmdlets' {
        $listed = Get-ComposeProject shop
        $listed.Status | Should -Be 'running(3)'
        (Get-ComposeProject shop | Get-Container).Name | Sort-Object | Should -Be @('shop-db-1', 'shop-web-1', 'shop-worker-1')
        (Get-ComposeProject shop -Service web).State | Should -Be 'running'
        Get-ComposeProject shop | Get-Container | Where-Object Name -EQ shop-db-1 | Get-ContainerLog -Tail 20 | Should -BeNullOrEmpty
    }

    It 're-up with nothing changed recreates nothing' {
        $before = Get-ShopContainer
        Start-ComposeProject -Path $script:App | Out-Null
        $after = Get-ShopContainer
        $after.Id | Should -Be $before.Id
    }

    It 're-up after a change recreates only the changed service and keeps the named volume' {
        $before = Get-ShopContainer
        Set-Content -LiteralPath (Join-Path $script:App 'compose.override.yaml') -Value @'
services:
  worker:
    environment:
      MODE: second
'@
        Start-ComposeProject -Path $script:App | Out-Null
        $after = Get-ShopContainer
        ($after | Where-Object Name -EQ shop-worker-1).Id | Should -Not -Be ($before | Where-Object Name -EQ shop-worker-1).Id
        ($after | Where-Object Name -NE shop-worker-1).Id | Should -Be ($before | Where-Object Name -NE shop-worker-1).Id
        Invoke-ContainerCommand shop-worker-1 -- sh -c 'echo $MODE' | Should -Be 'second'
        Invoke-ContainerCommand shop-worker-1 -- wget -qO- http://database/ | Should -Be 'db-ok'
    }

    It 'stops, starts again without recreating, and restarts' {
        $before = Get-ShopContainer
        Stop-ComposeProject shop
        (Get-ShopContainer).Status | Sort-Object -Unique | Should -Be 'Exited'
        (Start-ComposeProject -Path $script:App).Status | Should -Be 'running(3)'
        (Get-ShopContainer).Id | Should -Be $before.Id
        (Restart-ComposeProject shop -Service db -PassThru).Status | Should -Be 'running(3)'
        Invoke-ContainerCommand shop-worker-1 -- wget -qO- http://database/ | Should -Be 'db-ok'
    }

    It 'scales a service up and back down' {
        $before = Get-ShopContainer
        Start-ComposeProject -Path $script:App -Scale @{ worker = 2 } | Out-Null
        (Get-ShopContainer).Name | Should -Be @('shop-db-1', 'shop-web-1', 'shop-worker-1', 'shop-worker-2')
        Invoke-ContainerCommand shop-worker-2 -- wget -qO- http://database/ | Should -Be 'db-ok'
        Start-ComposeProject -Path $script:App | Out-Null
        (Get-ShopContainer).Id | Should -Be $before.Id
    }

    It 'refuses keys the engine cannot honour, naming them, before changing anything' {
        $bad = (New-Item -ItemType Directory -Path (Join-Path $script:Root 'bad')).FullName
        Set-Content -LiteralPath (Join-Path $bad 'compose.yaml') -Value "services:`n  a:`n    image: busybox`n    devices: [/dev/fuse]`n    logging: {driver: syslog}`n"
        { Start-ComposeProject -Path $bad } | Should -Throw -ErrorId 'ComposeKeyUnsupported,PSContainer.Commands.Compose.StartComposeProjectCommand' -ExpectedMessage '*services.a.devices*services.a.logging*'
        Get-Container -All -Label com.docker.compose.project=bad | Should -BeNullOrEmpty
    }

    It 'names the service whose dependency failed and leaves what started running' {
        $failing = (New-Item -ItemType Directory -Path (Join-Path $script:Root 'failing')).FullName
        Set-Content -LiteralPath (Join-Path $failing 'compose.yaml') -Value @'
services:
  setup:
    image: busybox
    command: sh -c 'exit 3'
  app:
    image: busybox
    command: sleep 3600
    depends_on:
      setup:
        condition: service_completed_successfully
'@
        { Start-ComposeProject -Path $failing } | Should -Throw -ErrorId 'ComposeServiceFailed,PSContainer.Commands.Compose.StartComposeProjectCommand' -ExpectedMessage "*'app'*setup*exit*3*"
        (Get-Container -All -Label com.docker.compose.project=failing).Name | Should -Be 'failing-setup-1'
        Remove-ComposeProject -Path $failing -Confirm:$false
        Get-Container -All -Label com.docker.compose.project=failing | Should -BeNullOrEmpty
        Get-Network | Where-Object Name -EQ failing_default | Should -BeNullOrEmpty
    }

    It 'takes the project down with its volumes, leaving nothing' {
        Remove-ComposeProject -Path $script:App -Volumes -Confirm:$false
        Get-ShopContainer | Should -BeNullOrEmpty
        Get-Network | Where-Object Name -Like 'shop_*' | Should -BeNullOrEmpty
        Get-Volume | Should -BeNullOrEmpty
        Get-ComposeProject | Should -BeNullOrEmpty
    }
}
