/** @module java: the `java` package scanner for Maven artifacts in Java archives. */
export { javaPackageScanner, JAVA_READ_LIMIT, JAVA_SCANNER_KIND, JAVA_SCANNER_NAME, JAVA_SCANNER_VERSION, MAVEN_REPOSITORY } from './scanner.js';
export { DEFAULT_JAR_LIMITS, type JarLimits } from './jar.js';
