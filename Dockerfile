# storage_controller image: built from this repository, runs as an unprivileged user. The same jar is the
# controller (the entrypoint), the pageserver simulator (`simulate`) and the operator CLI (`storcon`).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src src
COPY workflows workflows
COPY activities activities
COPY migrations migrations
RUN mvn -B -ntp -DskipTests -Dspotless.check.skip=true package

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/storage_controller --create-home storage_controller
COPY --from=build /src/target/storage_controller.jar /opt/storage_controller/storage_controller.jar
# storcon: the jar's launcher runs the CLI's main class (loader.main).
RUN printf '%s\n' '#!/bin/sh' \
      'exec java -Dloader.main=io.storagecontroller.tools.storcon.StorconMain -cp /opt/storage_controller/storage_controller.jar org.springframework.boot.loader.launch.PropertiesLauncher "$@"' \
      > /usr/local/bin/storcon \
    && chmod 755 /usr/local/bin/storcon
USER storage_controller
WORKDIR /var/lib/storage_controller
EXPOSE 1234
# The controller starts from the context the build generated ahead of time; JDK_JAVA_OPTIONS= (empty) in the
# container's environment starts it the usual way.
ENV JDK_JAVA_OPTIONS="-Dspring.aot.enabled=true"
# Heap the controller no longer needs goes back to the system, as bin/storage_controller sets it.
ENTRYPOINT ["java", "-XX:G1PeriodicGCInterval=30000", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", \
  "-jar", "/opt/storage_controller/storage_controller.jar"]
CMD ["--listen", "0.0.0.0:1234"]
